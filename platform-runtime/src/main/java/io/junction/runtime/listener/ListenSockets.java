package io.junction.runtime.listener;

import io.junction.runtime.config.HostPort;
import io.junction.runtime.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening sockets, kept across config reloads: one per listen address, each handing the
 * connections it accepts to the {@link PipelineListener} currently assigned to it. A reload binds
 * the addresses that are new ({@link #bind}), then swaps the listeners of all in one step
 * ({@link #commit}), so an address listened on before and after never refuses a connection.
 * Not thread-safe: bind, commit and abort come from one thread at a time (the runtime's reload thread).
 */
public final class ListenSockets {

    private static final Logger log = LoggerFactory.getLogger(ListenSockets.class);

    /** An address a pipeline wants to listen on; {@code path} names it in errors ({@code pipelines[0].listen}). */
    public record Wanted(HostPort address, String path, PipelineListener listener) {
    }

    /** The outcome of {@link #bind}: every wanted address with its socket, waiting for commit or abort. */
    public static final class Binding {
        private final List<Wanted> wanted;
        private final List<Socket> sockets;
        private final List<Socket> fresh;

        private Binding(List<Wanted> wanted, List<Socket> sockets, List<Socket> fresh) {
            this.wanted = wanted;
            this.sockets = sockets;
            this.fresh = fresh;
        }

        /** The local addresses of the sockets {@code listener} gets, in config order. */
        public List<InetSocketAddress> addressesOf(PipelineListener listener) {
            List<InetSocketAddress> addresses = new ArrayList<>();
            for (int i = 0; i < wanted.size(); i++) {
                if (wanted.get(i).listener() == listener) {
                    addresses.add(sockets.get(i).localAddress());
                }
            }
            return addresses;
        }
    }

    /** A bound server socket and the listener its connections go to now. */
    private static final class Socket {
        final HostPort key;
        volatile PipelineListener listener;
        Channel channel;

        Socket(HostPort key, PipelineListener listener) {
            this.key = key;
            this.listener = listener;
        }

        InetSocketAddress localAddress() {
            return (InetSocketAddress) channel.localAddress();
        }
    }

    /** Never runs: {@link Handoff} registers every accepted connection itself; ServerBootstrap wants a child handler. */
    @ChannelHandler.Sharable
    private static final class NoInitializer extends ChannelInitializer<Channel> {
        @Override
        protected void initChannel(Channel channel) {
        }
    }

    private static final ChannelHandler NO_INITIALIZER = new NoInitializer();

    private final Transport transport;
    private final Map<HostPort, Socket> bound = new HashMap<>();

    public ListenSockets(Transport transport) {
        this.transport = transport;
    }

    /**
     * Binds every wanted address not bound yet (new sockets serve their new listener at once).
     * Adds the problems, each naming the config path, to {@code problems}; the caller then
     * {@link #abort}s, which closes the sockets just bound, and nothing has changed.
     */
    public Binding bind(List<Wanted> wanted, List<String> problems) {
        List<Socket> sockets = new ArrayList<>();
        List<Socket> fresh = new ArrayList<>();
        List<ChannelFuture> binds = new ArrayList<>();
        for (Wanted w : wanted) {
            Socket socket = w.address().port() == 0 ? null : bound.get(w.address());
            if (socket == null) {
                socket = new Socket(w.address(), w.listener());
                binds.add(bind(socket));
                fresh.add(socket);
            }
            sockets.add(socket);
        }
        for (int i = 0, f = 0; i < wanted.size(); i++) {
            if (fresh.contains(sockets.get(i))) {
                ChannelFuture future = binds.get(f++).awaitUninterruptibly();
                if (!future.isSuccess()) {
                    problems.add(wanted.get(i).path() + ": cannot listen on " + wanted.get(i).address() + ": "
                            + bindFailure(future.cause()));
                }
            }
        }
        return new Binding(List.copyOf(wanted), sockets, fresh);
    }

    private ChannelFuture bind(Socket socket) {
        InetSocketAddress local = new InetSocketAddress(socket.key.host(), socket.key.port()); // as bind(host, port) would
        ChannelFuture future = new ServerBootstrap()
                .group(transport.group())
                .channelFactory(transport.serverChannelFactory(local))
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new Handoff(socket))
                // TCP_NODELAY is Netty's default for accepted and connected sockets; setting it again costs a syscall.
                .childHandler(NO_INITIALIZER)
                .bind(local);
        socket.channel = future.channel();
        return future;
    }

    /** Makes the binding the one in force: each socket serves its new listener; sockets no longer wanted close. */
    public void commit(Binding binding) {
        Map<HostPort, Socket> next = new HashMap<>();
        for (int i = 0; i < binding.wanted.size(); i++) {
            Socket socket = binding.sockets.get(i);
            socket.listener = binding.wanted.get(i).listener();
            next.put(binding.fresh.contains(socket) && socket.key.port() == 0
                    ? new HostPort(socket.key.host(), socket.localAddress().getPort()) : socket.key, socket);
        }
        for (Socket old : bound.values()) {
            if (!next.containsValue(old)) {
                old.channel.close().syncUninterruptibly();
            }
        }
        bound.clear();
        bound.putAll(next);
    }

    /** Forgets a binding that will not be committed: closes the sockets it bound. */
    public void abort(Binding binding) {
        binding.fresh.forEach(s -> s.channel.close().syncUninterruptibly());
    }

    /** Stops accepting on every address (the runtime is stopping). */
    public void closeAll() {
        bound.values().forEach(s -> s.channel.close().syncUninterruptibly());
        bound.clear();
    }

    private static String bindFailure(Throwable cause) {
        if (cause instanceof BindException || (cause != null && String.valueOf(cause.getMessage()).contains("in use"))) {
            return "the address is already in use";
        }
        return String.valueOf(cause);
    }

    /**
     * First in the server socket's pipeline, in place of Netty's acceptor for what it accepts: sets the
     * current listener's socket options (some cannot change after registration), has it initialise the
     * connection, and registers the connection with the event loops, so a connection belongs to one
     * listener from options to protocol, with one initializer in its pipeline, as before reloads existed.
     */
    private final class Handoff extends ChannelInboundHandlerAdapter {
        private final Socket socket;

        Handoff(Socket socket) {
            this.socket = socket;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Channel child = (Channel) msg;
            PipelineListener listener = socket.listener;
            try {
                listener.applyOptions(child);
                child.pipeline().addLast(listener.initializer());
            } catch (RuntimeException e) {
                log.warn("pipeline {}: cannot set up an accepted connection; closing it", listener.name(), e);
                child.unsafe().closeForcibly();
                return;
            }
            transport.group().register(child).addListener((ChannelFuture registered) -> {
                if (!registered.isSuccess()) { // as Netty's acceptor does: an unregistered channel is closed at once
                    if (child.isRegistered()) {
                        child.close();
                    } else {
                        child.unsafe().closeForcibly();
                    }
                }
            });
        }
    }
}
