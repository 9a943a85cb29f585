// Copyright 2026 Boost.ContextVars developers
// Distributed under the Boost Software License, Version 1.0.
// https://www.boost.org/LICENSE_1_0.txt

// Real-world corpus: a Beast WebSocket chat server with broadcast, the shape of
// Beast's multi-threaded chat example. Each session is a callback-style object
// on a strand of its own, on an io_context run by three threads; every message
// a session reads goes to all sessions of its chat room (ten rooms, so that a
// sanitizer run stays short), each with a per-session write queue of which one
// async_write is in flight. The listener starts each session inside a fresh
// context where it sets the connection id once; every callback (accept, read,
// and the control callback that sees pings and closes) checks it. A delivery
// is posted, as in Beast's example, from the sending session's handler, so it
// runs in the sender's context, as everything a handler starts does: the
// receiving session's write path checks the id of the session whose message
// started the current run of writes. (A service that wants the receiver's id
// there posts with bind_context(receiver's context, handler).) Beast parks a
// read that must answer a ping or a close while a write is in flight and
// resumes it from that write's completion, and the other way round: each must
// still run in its own context. 120 clients each send five messages with a
// ping after each and read until their own messages have come back; every 8th
// sends two and leaves while broadcasts to it are pending, half of those
// abruptly, half with a close handshake. Built with tracking: 0 wrong
// (--expect zero); without: most wrong (--expect most).

#include "listener.hpp"
#include "realworld.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <array>
#include <memory>
#include <unordered_set>

using namespace realworld;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

class session;

// A chat room: every joined session, guarded by a mutex (sessions run on many threads).
class shared_state
{
public:
    void join(session* s)
    {
        std::lock_guard<std::mutex> lock(mutex_);
        sessions_.insert(s);
    }

    void leave(session* s)
    {
        std::lock_guard<std::mutex> lock(mutex_);
        sessions_.erase(s);
    }

    void send(std::string message, int from);

private:
    std::mutex mutex_;
    std::unordered_set<session*> sessions_;
};

class session: public std::enable_shared_from_this<session>
{
public:
    session(tcp::socket&& socket, std::shared_ptr<shared_state> state, int id):
        ws_(std::move(socket)), state_(std::move(state)), id_(id)
    {
    }

    ~session()
    {
        state_->leave(this);
    }

    // Called inside the context the listener made for this connection.
    void run()
    {
        check(id_, "run");
        asio::dispatch(ws_.get_executor(), beast::bind_front_handler(&session::on_run, shared_from_this()));
    }

    // Called by the handler of session `from`, on its strand, in its context.
    void send(std::shared_ptr<std::string const> const& message, int from)
    {
        asio::post(ws_.get_executor(), beast::bind_front_handler(&session::on_send, shared_from_this(), message, from));
    }

private:
    void on_run()
    {
        check(id_, "on_run");
        ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
        // Pings, pongs and closes arrive inside a read: this is called from it.
        ws_.control_callback([this](websocket::frame_type, beast::string_view) { check(id_, "control callback"); });
        ws_.async_accept(beast::bind_front_handler(&session::on_accept, shared_from_this()));
    }

    void on_accept(beast::error_code ec)
    {
        check(id_, "on_accept");
        if(ec)
        {
            return;
        }
        state_->join(this);
        do_read();
    }

    void do_read()
    {
        ws_.async_read(buffer_, beast::bind_front_handler(&session::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t)
    {
        check(id_, "on_read");
        if(ec)
        {
            return; // closed, or the client went away
        }
        std::string message = beast::buffers_to_string(buffer_.data());
        buffer_.consume(buffer_.size());
        state_->send(std::move(message), id_);
        check(id_, "on_read, after broadcasting");
        do_read();
    }

    // In the sender's context.
    void on_send(std::shared_ptr<std::string const> const& message, int from)
    {
        check(from, "on_send");
        queue_.push_back(message);
        if(queue_.size() > 1)
        {
            return; // a write is in flight; on_write sends this one
        }
        writer_ = from; // this run of writes continues the sender's context
        do_write();
    }

    void do_write()
    {
        check(writer_, "before write");
        ws_.async_write(asio::buffer(*queue_.front()), beast::bind_front_handler(&session::on_write, shared_from_this()));
    }

    void on_write(beast::error_code ec, std::size_t)
    {
        check(writer_, "on_write");
        if(ec)
        {
            queue_.clear(); // the client is gone
            return;
        }
        queue_.erase(queue_.begin());
        if(!queue_.empty())
        {
            do_write();
        }
    }

    websocket::stream<beast::tcp_stream> ws_;
    beast::flat_buffer buffer_;
    std::vector<std::shared_ptr<std::string const>> queue_;
    std::shared_ptr<shared_state> state_;
    int id_;
    int writer_ = 0; // the sender whose message started the writes in flight
};

void shared_state::send(std::string message, int from)
{
    auto const shared = std::make_shared<std::string const>(std::move(message));
    // Deliver outside the lock: a session may leave meanwhile.
    std::vector<std::weak_ptr<session>> receivers;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        receivers.reserve(sessions_.size());
        for(session* s: sessions_)
        {
            receivers.emplace_back(s->weak_from_this());
        }
    }
    for(auto const& w: receivers)
    {
        if(auto s = w.lock())
        {
            s->send(shared, from);
        }
    }
}

// ---- the load client: coroutines on the client's thread ---------------------------

using client_ws = websocket::stream<beast::tcp_stream>;
using namespace asio::experimental::awaitable_operators;

// Sends `count` messages "k:j", each followed by a ping.
asio::awaitable<void> client_writer(client_ws& ws, int k, int count)
{
    for(int j = 0; j < count; ++j)
    {
        std::string message = std::to_string(k) + ":" + std::to_string(j);
        co_await ws.async_write(asio::buffer(message), asio::use_awaitable);
        co_await ws.async_ping({}, asio::use_awaitable);
    }
}

// Reads the broadcasts until this client's own `count` messages have come back.
asio::awaitable<void> client_reader(client_ws& ws, int k, int count)
{
    std::string const mine = std::to_string(k) + ":";
    beast::flat_buffer buffer;
    for(int seen = 0; seen < count;)
    {
        co_await ws.async_read(buffer, asio::use_awaitable);
        std::string message = beast::buffers_to_string(buffer.data());
        buffer.consume(buffer.size());
        if(message.compare(0, mine.size(), mine) == 0)
        {
            if(message != mine + std::to_string(seen))
            {
                fail("client " + std::to_string(k) + ": got " + message + " for its message " + std::to_string(seen));
            }
            ++seen;
        }
    }
}

asio::awaitable<void> client(tcp::endpoint server, int k, int messages, std::atomic<int>& finished)
{
    client_ws ws(co_await asio::this_coro::executor);
    co_await ws.next_layer().async_connect(server, asio::use_awaitable);
    co_await ws.async_handshake("127.0.0.1", "/", asio::use_awaitable);
    if(k % 8 == 0)
    {
        // Leaves early, while the broadcasts to it are under way.
        co_await client_writer(ws, k, 2);
        if(k % 16 == 0)
        {
            ws.next_layer().socket().close();
        }
        else
        {
            co_await ws.async_close(websocket::close_code::normal, asio::use_awaitable);
        }
        ++finished;
        co_return;
    }
    co_await (client_writer(ws, k, messages) && client_reader(ws, k, messages));
    co_await ws.async_close(websocket::close_code::normal, asio::use_awaitable);
    ++finished;
}

} // namespace

int main(int argc, char** argv)
{
    program run("websocket_chat", argc, argv);
    asio::io_context ioc;
    std::array<std::shared_ptr<shared_state>, 10> rooms;
    for(auto& room: rooms)
    {
        room = std::make_shared<shared_state>();
    }
    auto server = make_listener(ioc, [rooms](tcp::socket socket, int id) {
        std::make_shared<session>(std::move(socket), rooms[id % rooms.size()], id)->run();
    });
    server->run();
    runner threads(ioc, server_threads);

    bool client_ok = run_clients(server->endpoint(), run.opts(), client);
    server->stop();
    server.reset();
    threads.join();

    return run.verdict(client_ok);
}
