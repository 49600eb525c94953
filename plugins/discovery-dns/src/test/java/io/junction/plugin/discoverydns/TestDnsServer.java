package io.junction.plugin.discoverydns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
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
import java.util.concurrent.atomic.AtomicInteger;

/** A one-name authoritative DNS server on a random loopback UDP port whose answers a test changes while it runs. */
final class TestDnsServer implements AutoCloseable {

    /** How the server treats queries. */
    enum Mode {
        /** The records for the name (NOERROR with no answers when it has none of the type); NXDOMAIN for other names. */
        ANSWER,
        /** NXDOMAIN for every name. */
        NXDOMAIN,
        /** Reads queries and never answers. */
        SILENT
    }

    private final String name;
    private final Channel channel;
    private final AtomicInteger aQueries = new AtomicInteger();
    private final AtomicInteger aaaaQueries = new AtomicInteger();
    private volatile List<InetAddress> records = List.of();
    private volatile Mode mode = Mode.ANSWER;

    TestDnsServer(EventLoopGroup group, String name) {
        this.name = name;
        this.channel = new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), new Answerer());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .syncUninterruptibly()
                .channel();
    }

    /** {@code "127.0.0.1:port"}, for the config's nameservers. */
    String nameserver() {
        InetSocketAddress address = (InetSocketAddress) channel.localAddress();
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    void answer(InetAddress... addresses) {
        records = List.of(addresses);
        mode = Mode.ANSWER;
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    /** A queries for the name received so far: one per lookup. */
    int lookups() {
        return aQueries.get();
    }

    int aaaaQueries() {
        return aaaaQueries.get();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    private final class Answerer extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            String asked = question.name().toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
            boolean ours = asked.equals(name);
            if (ours && question.type() == DnsRecordType.A) {
                aQueries.incrementAndGet();
            } else if (ours && question.type() == DnsRecordType.AAAA) {
                aaaaQueries.incrementAndGet();
            }
            Mode current = mode;
            if (current == Mode.SILENT) {
                return;
            }
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            response.setAuthoritativeAnswer(true);
            response.setRecursionAvailable(true);
            response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
            if (current == Mode.NXDOMAIN || !ours) {
                response.setCode(DnsResponseCode.NXDOMAIN);
            } else {
                for (InetAddress address : records) {
                    DnsRecordType type = address instanceof Inet4Address ? DnsRecordType.A
                            : address instanceof Inet6Address ? DnsRecordType.AAAA : null;
                    if (type == question.type()) {
                        response.addRecord(DnsSection.ANSWER,
                                new DefaultDnsRawRecord(question.name(), type, 60, Unpooled.wrappedBuffer(address.getAddress())));
                    }
                }
            }
            ctx.writeAndFlush(response);
        }
    }
}
