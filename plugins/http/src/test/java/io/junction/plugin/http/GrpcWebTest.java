package io.junction.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.plugin.http.codec.HttpHeaders;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GrpcWebTest {

    @Test
    void aBinaryGrpcWebRequestBecomesGrpcWithTeTrailers() {
        HttpHeaders headers = new HttpHeaders().add("Content-Type", "application/grpc-web+proto").add("x-grpc-web", "1");
        GrpcWeb.Writer writer = GrpcWeb.translateRequest(headers.get("content-type"), headers, null);
        assertThat(writer).isNotNull();
        assertThat(writer.grpcContentType()).isEqualTo("application/grpc+proto");
        assertThat(headers.get("content-type")).isEqualTo("application/grpc+proto");
        assertThat(headers.get("te")).isEqualTo("trailers");
        HttpHeaders bare = new HttpHeaders().add("content-type", "application/grpc-web");
        assertThat(GrpcWeb.translateRequest("application/grpc-web", bare, null).grpcContentType()).isEqualTo("application/grpc");
    }

    @Test
    void theTextFormAndOtherTypesAreLeftAlone() {
        for (String type : new String[] {"application/grpc-web-text", "application/grpc-web-text+proto", "application/grpc-webx",
            "application/grpc", "application/json"}) {
            HttpHeaders headers = new HttpHeaders().add("content-type", type);
            assertThat(GrpcWeb.translateRequest(type, headers, null)).as(type).isNull();
            assertThat(headers.get("content-type")).as(type).isEqualTo(type);
            assertThat(headers.contains("te")).as(type).isFalse();
        }
    }

    @Test
    void trailersBecomeTheBodysLastFrame() {
        ByteBuf frame = GrpcWeb.trailerFrame(new HttpHeaders().add("Grpc-Status", "0").add("grpc-message", "ok"));
        try {
            assertThat(frame.readUnsignedByte()).isEqualTo((short) 0x80);
            int length = frame.readInt();
            assertThat(frame.readableBytes()).isEqualTo(length);
            assertThat(frame.toString(StandardCharsets.US_ASCII)).isEqualTo("grpc-status:0\r\ngrpc-message:ok\r\n");
        } finally {
            frame.release();
        }
    }
}
