package io.junction.plugin.http;

import io.junction.plugin.http.codec.HttpEncoder;
import io.junction.plugin.http.codec.HttpHeaders;
import io.junction.plugin.http.codec.HttpLimits;
import io.junction.plugin.http.codec.HttpVersion;
import io.junction.plugin.http.codec.RequestDecoder;
import io.junction.plugin.http.codec.RequestHead;
import io.junction.plugin.http.codec.ResponseDecoder;
import io.junction.plugin.http.codec.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The header work the HTTP/1.1 proxy does per exchange, without sockets: decode a message head as
 * it arrives, copy its end-to-end fields, add what the hop adds, encode it for the other side. The
 * response is nginx's to {@code GET /small} in the load runs (../shared/bench); the request is
 * curl's. The per-request cost of the codec, apart from the kernel and Netty's pipeline, so that
 * builds can be compared where end-to-end runs on this shared machine cannot tell a few per cent.
 * Lives in the plugin's package to reach its package-private header rewriting (on the class path).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Dio.netty.leakDetection.level=disabled"}) // as bin/junction runs
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ProxiedHeadBenchmark {

    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Fri, 27 Nov 2026 15:32:23 GMT\r\n"
            + "Content-Type: text/plain\r\nContent-Length: 100\r\nLast-Modified: Fri, 27 Nov 2026 15:24:55 GMT\r\n"
            + "Connection: keep-alive\r\nETag: \"69286b27-64\"\r\nX-Backend: 19001\r\nAccept-Ranges: bytes\r\n\r\n"
            + "s".repeat(100)).getBytes(StandardCharsets.ISO_8859_1);

    private static final byte[] REQUEST = ("GET /small?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: curl/7.88.1\r\n"
            + "Accept: */*\r\nAccept-Encoding: gzip, deflate\r\nCookie: session=0123456789abcdef\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);

    /** The decoders' own decode step, called without a pipeline (it does not use the context). */
    private static final MethodHandle DECODE;

    static {
        try {
            DECODE = MethodHandles.privateLookupIn(ByteToMessageDecoder.class, MethodHandles.lookup()).findVirtual(
                    ByteToMessageDecoder.class, "decode", MethodType.methodType(void.class,
                            io.netty.channel.ChannelHandlerContext.class, ByteBuf.class, List.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final List<Object> out = new ArrayList<>();
    private ResponseDecoder responses;
    private RequestDecoder requests;
    private ByteBuf response;
    private ByteBuf request;

    @Setup
    public void setUp() {
        responses = new ResponseDecoder(HttpLimits.defaults());
        requests = new RequestDecoder(HttpLimits.defaults());
        response = alloc.directBuffer(RESPONSE.length).writeBytes(RESPONSE);
        request = alloc.directBuffer(REQUEST.length).writeBytes(REQUEST);
    }

    @TearDown
    public void tearDown() {
        response.release();
        request.release();
    }

    /** A backend's response head read, rewritten and written for the client: what ClientConnection does with it. */
    @Benchmark
    public int response() throws Throwable {
        responses.expect("GET");
        response.readerIndex(0);
        DECODE.invoke((ByteToMessageDecoder) responses, null, response, out);
        ResponseHead head = (ResponseHead) out.get(0);
        HttpHeaders headers = ForwardingHeaders.endToEnd(head.headers());
        headers.add("Via", "1.1 junction");
        headers.set("Content-Length", Long.toString(head.contentLength()));
        ByteBuf encoded = alloc.directBuffer(256);
        HttpEncoder.writeResponseHead(encoded, HttpVersion.HTTP_1_1, head.status(), head.reason(), headers);
        int written = encoded.readableBytes();
        encoded.release();
        releaseAll();
        return written;
    }

    /** A client's request head read, given forwarding fields and written for the backend. */
    @Benchmark
    public int request() throws Throwable {
        request.readerIndex(0);
        DECODE.invoke((ByteToMessageDecoder) requests, null, request, out);
        RequestHead head = (RequestHead) out.get(0);
        HttpHeaders headers = ForwardingHeaders.endToEnd(head.headers());
        headers.add("X-Forwarded-For", "127.0.0.1");
        headers.add("X-Forwarded-Proto", "http");
        headers.add("X-Forwarded-Host", headers.get("host"));
        headers.add("Via", "1.1 junction");
        ByteBuf encoded = alloc.directBuffer(256);
        HttpEncoder.writeRequestHead(encoded, head.method(), head.target(), headers);
        int written = encoded.readableBytes();
        encoded.release();
        releaseAll();
        return written;
    }

    private void releaseAll() {
        for (Object message : out) {
            ReferenceCountUtil.release(message);
        }
        out.clear();
    }
}
