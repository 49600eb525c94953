package io.junction.distribution;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An authoritative DNS server on a random 127.0.0.1 UDP port (Netty's DNS codec, its own event
 * loop) for the names a test registers, whose answers the test changes while Junction runs.
 * Each name is answered on its own: one can be {@link Mode#SILENT} while another answers. Names
 * it does not know get NXDOMAIN. Adapted from the {@code discovery-dns} plugin's test server.
 */
final class TestDnsServer implements AutoCloseable {

    /** How the server treats the queries for one name. */
    enum Mode {
        /** The name's records (NOERROR without answers when it has none of the type asked). */
        ANSWER,
        /** NXDOMAIN. */
        NXDOMAIN,
        /** Reads the queries and never answers. */
        SILENT
    }

    private record Zone(Mode mode, List<InetAddress> records) {
    }

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel channel;
    private final Map<String, Zone> zones = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> aQueries = new ConcurrentHashMap<>();

    TestDnsServer() {
        try {
            this.channel = new Bootstrap()
                    .group(group)
                    .channel(NioDatagramChannel.class)
                    .handler(new ChannelInitializer<DatagramChannel>() {
                        @Override
                        protected void initChannel(DatagramChannel ch) {
                            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), new Answerer());
                        }
                    })
                    .bind(new InetSocketAddress(Net.LOOPBACK, 0))
                    .syncUninterruptibly()
                    .channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** {@code "127.0.0.1:port"}, for the config's {@code nameservers}. */
    String nameserver() {
        InetSocketAddress address = (InetSocketAddress) channel.localAddress();
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** From now on {@code name} resolves to {@code addresses} (literal IPs, e.g. "127.0.0.2"). */
    void answer(String name, String... addresses) {
        List<InetAddress> records = new java.util.ArrayList<>();
        for (String address : addresses) {
            try {
                records.add(InetAddress.getByName(address)); // a literal: no lookup
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(address, e);
            }
        }
        zones.put(key(name), new Zone(Mode.ANSWER, List.copyOf(records)));
    }

    /** Keeps the records of {@code name} but treats its queries as {@code mode} says. */
    void mode(String name, Mode mode) {
        zones.compute(key(name), (k, zone) -> new Zone(mode, zone == null ? List.of() : zone.records()));
    }

    /** The A queries for {@code name} received so far (a lookup asks one, and again on a retry). */
    int aQueries(String name) {
        AtomicInteger count = aQueries.get(key(name));
        return count == null ? 0 : count.get();
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
    }

    @Override
    public void close() {
        try {
            channel.close().syncUninterruptibly();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private final class Answerer extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            if (question == null) {
                return;
            }
            String asked = key(question.name());
            Zone zone = zones.get(asked);
            if (zone != null && question.type() == DnsRecordType.A) {
                aQueries.computeIfAbsent(asked, k -> new AtomicInteger()).incrementAndGet();
            }
            if (zone != null && zone.mode() == Mode.SILENT) {
                return;
            }
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            response.setAuthoritativeAnswer(true);
            response.setRecursionAvailable(true);
            response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
            if (zone == null || zone.mode() == Mode.NXDOMAIN) {
                response.setCode(DnsResponseCode.NXDOMAIN);
            } else {
                for (InetAddress address : zone.records()) {
                    DnsRecordType type = address instanceof Inet4Address ? DnsRecordType.A
                            : address instanceof Inet6Address ? DnsRecordType.AAAA : null;
                    if (type == question.type()) {
                        // TTL 60: the discovery must ask again every interval all the same.
                        response.addRecord(DnsSection.ANSWER,
                                new DefaultDnsRawRecord(question.name(), type, 60, Unpooled.wrappedBuffer(address.getAddress())));
                    }
                }
            }
            ctx.writeAndFlush(response);
        }
    }
}
