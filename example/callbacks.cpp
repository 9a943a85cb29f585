// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// The request id of request_id_server.cpp without coroutines (C++17): a TCP
// echo server on 127.0.0.1 written with callbacks, on two threads.
//
// The acceptor and its sockets run on a context_executor, so each completion
// handler runs in a copy of the context that was current when its operation
// was started, and a post() through it in a copy of the caller's. The accept
// handler sets the connection's request id, and every handler of that
// connection, started from there, sees it. One step is handed to a plain
// thread_pool that knows nothing of contexts: bind_context(f) carries the
// context there.
//
// A built-in client opens 50 connections at once; the server greets each with
// its id, the client sends "request <id>: hello", and every log line quotes it.
// The program checks that each line's [req=N] is the id inside the message,
// and exits 0 only if all of them match.

#include <boost/asio.hpp>
#include <boost/contextvars.hpp>
#include <boost/contextvars/asio.hpp>
#include <atomic>
#include <charconv>
#include <chrono>
#include <iostream>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace cv = boost::contextvars;
using asio::ip::tcp;
using boost::system::error_code;

constexpr int connections = 50;

cv::context_var<int> request_id("request_id");

// ---- a tiny logger: it knows nothing about connections ------------------------

std::mutex log_mutex;
std::vector<std::string> log_lines;

void log(std::string_view msg)
{
    int const* id = request_id.try_get();
    std::string line = "[req=" + (id ? std::to_string(*id) : "?") + "] " + std::string(msg);
    std::lock_guard<std::mutex> lock(log_mutex);
    if(log_lines.size() < 10)
    {
        std::cout << line << '\n';
    }
    log_lines.push_back(std::move(line));
}

std::atomic<int> failures{0};

bool ok(error_code ec)
{
    if(ec)
    {
        std::cerr << "error: " << ec.message() << '\n';
        ++failures;
    }
    return !ec;
}

// ---- the server -----------------------------------------------------------------

using executor = cv::context_executor<asio::io_context::executor_type>;
using acceptor_type = tcp::acceptor::rebind_executor<executor>::other;
using socket_type = tcp::socket::rebind_executor<executor>::other;

// One connection. No member holds the id: handlers find it in the context.
class session: public std::enable_shared_from_this<session>
{
public:
    session(socket_type socket, asio::thread_pool& pool): socket_(std::move(socket)), pool_(pool) {}

    void start()
    {
        // Tell the client its id, so that it can quote it in its request.
        greeting_ = "id " + std::to_string(request_id.get()) + "\n";
        asio::async_write(socket_, asio::buffer(greeting_), [self = shared_from_this()](error_code ec, std::size_t) {
            if(ok(ec))
            {
                self->read();
            }
        });
    }

private:
    void read()
    {
        asio::async_read_until(socket_, asio::dynamic_buffer(msg_), '\n',
            [self = shared_from_this()](error_code ec, std::size_t n) {
                if(ok(ec))
                {
                    self->msg_.resize(n - 1);
                    self->log_step("received");
                    self->parse();
                }
            });
    }

    void parse()
    {
        log_step("parse   ");
        // post() through the context_executor: validate() runs later, maybe
        // on the other thread, in a copy of this context.
        asio::post(socket_.get_executor(), [self = shared_from_this()] { self->validate(); });
    }

    void validate()
    {
        log_step("validate");
        store();
    }

    void store()
    {
        log_step("store   ");
        // Blocking work goes to a plain thread pool: bind_context() makes the
        // function run there in a copy of this context. The work guard keeps
        // the io_context running meanwhile.
        auto work = asio::make_work_guard(socket_.get_executor());
        asio::post(pool_, cv::bind_context([self = shared_from_this(), work] {
            self->audit();
            // Back to the connection's executor: post() captures this context.
            asio::post(self->socket_.get_executor(), [self] { self->reply(); });
        }));
    }

    void audit()
    {
        log_step("audit   ");
    }

    void reply()
    {
        log_step("replying");
        msg_ += '\n';
        asio::async_write(socket_, asio::buffer(msg_), [self = shared_from_this()](error_code ec, std::size_t) {
            if(ok(ec))
            {
                self->msg_.pop_back();
                self->log_step("replied ");
            }
        });
    }

    void log_step(char const* step)
    {
        log(std::string(step) + " \"" + msg_ + "\"");
    }

    socket_type socket_;
    asio::thread_pool& pool_;
    std::string greeting_, msg_;
};

class server
{
public:
    server(asio::io_context& ioc, asio::thread_pool& pool):
        pool_(pool), acceptor_(executor(ioc), {asio::ip::make_address("127.0.0.1"), 0})
    {
    }

    tcp::endpoint endpoint() const
    {
        return acceptor_.local_endpoint();
    }

    void accept()
    {
        acceptor_.async_accept([this](error_code ec, socket_type socket) {
            if(!ok(ec))
            {
                return;
            }
            int id = ++accepted_;
            if(accepted_ < connections)
            {
                accept(); // started before the set() below: it does not see this id
            }
            // This handler runs in its own copy of a context: what it sets is
            // seen by the operations it starts, and by nothing else.
            request_id.set(id);
            std::make_shared<session>(std::move(socket), pool_)->start();
        });
    }

private:
    asio::thread_pool& pool_;
    acceptor_type acceptor_;
    int accepted_ = 0; // only touched by the accept handlers, one at a time
};

// ---- the client: plain callbacks, no context variables ---------------------------

std::mutex ids_mutex;
std::set<int> ids_echoed;

class client: public std::enable_shared_from_this<client>
{
public:
    explicit client(asio::io_context& ioc): socket_(ioc) {}

    void start(tcp::endpoint server)
    {
        socket_.async_connect(server, [self = shared_from_this()](error_code ec) {
            if(ok(ec))
            {
                asio::async_read_until(self->socket_, asio::dynamic_buffer(self->buf_), '\n',
                    [self](error_code ec, std::size_t n) { self->on_greeting(ec, n); });
            }
        });
    }

private:
    void on_greeting(error_code ec, std::size_t n)
    {
        if(!ok(ec))
        {
            return;
        }
        id_ = std::stoi(buf_.substr(3, n - 4)); // "id <N>\n"
        buf_.erase(0, n);
        msg_ = "request " + std::to_string(id_) + ": hello\n";
        asio::async_write(socket_, asio::buffer(msg_), [self = shared_from_this()](error_code ec, std::size_t) {
            if(ok(ec))
            {
                asio::async_read_until(self->socket_, asio::dynamic_buffer(self->buf_), '\n',
                    [self](error_code ec, std::size_t n) { self->on_echo(ec, n); });
            }
        });
    }

    void on_echo(error_code ec, std::size_t n)
    {
        if(ok(ec) && buf_.substr(0, n) == msg_)
        {
            std::lock_guard<std::mutex> lock(ids_mutex);
            ids_echoed.insert(id_);
        }
    }

    tcp::socket socket_;
    std::string buf_, msg_;
    int id_ = 0;
};

// ---- checking the log -------------------------------------------------------------

// The number right after `key` in `line`, or -1.
int number_after(std::string_view line, std::string_view key)
{
    std::size_t pos = line.find(key);
    int n = -1;
    if(pos != std::string_view::npos)
    {
        std::from_chars(line.data() + pos + key.size(), line.data() + line.size(), n);
    }
    return n;
}

int main()
{
    asio::io_context ioc;
    asio::thread_pool pool(2);
    server srv(ioc, pool);
    srv.accept();
    for(int i = 0; i < connections; ++i)
    {
        std::make_shared<client>(ioc)->start(srv.endpoint());
    }

    // Two threads; both return when all the work is done (or after 4 s).
    std::thread second([&] { ioc.run_for(std::chrono::seconds(4)); });
    ioc.run_for(std::chrono::seconds(4));
    second.join();
    pool.join();

    int wrong = 0, switches = 0, previous = 0;
    for(std::string const& line: log_lines)
    {
        int logged = number_after(line, "[req=");
        if(logged != number_after(line, "\"request "))
        {
            if(++wrong <= 5)
            {
                std::cout << "WRONG: " << line << '\n';
            }
        }
        switches += logged != previous;
        previous = logged;
    }

    std::cout << "...\n"
              << ids_echoed.size() << " connections, " << log_lines.size() << " log lines, " << wrong
              << " with the wrong request id\n"
              << "(the log switched between requests " << switches << " times)\n";

    bool passed = failures == 0 && wrong == 0 && ids_echoed.size() == connections &&
                  *ids_echoed.begin() == 1 && *ids_echoed.rbegin() == connections &&
                  log_lines.size() == 7u * connections && switches > connections;
    if(!passed)
    {
        std::cout << "FAILED\n";
    }
    return passed ? 0 : 1;
}
