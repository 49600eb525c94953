package io.junction.plugin.healthchecks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The hand-written grpc.health.v1 encoding, checked against the generated protobuf classes. */
class GrpcHealthMessagesTest {

    @Test
    void theRequestIsAFramedHealthCheckRequest() throws Exception {
        for (String service : new String[] {"", "shop.v1.Orders", "s".repeat(300), "dienst.Übersicht"}) {
            ByteBuf frame = GrpcHealthMessages.request(UnpooledByteBufAllocator.DEFAULT, service);
            try {
                assertThat(frame.getByte(0)).as("not compressed").isZero();
                assertThat(frame.getInt(1)).isEqualTo(frame.readableBytes() - 5);
                byte[] message = ByteBufUtil.getBytes(frame, 5, frame.readableBytes() - 5);
                assertThat(HealthCheckRequest.parseFrom(message).getService()).isEqualTo(service);
                assertThat(message).isEqualTo(HealthCheckRequest.newBuilder().setService(service).build().toByteArray());
            } finally {
                frame.release();
            }
        }
    }

    @Test
    void theServingStatusIsReadFromAFramedHealthCheckResponse() {
        for (ServingStatus status : new ServingStatus[] {ServingStatus.UNKNOWN, ServingStatus.SERVING, ServingStatus.NOT_SERVING}) {
            assertThat(GrpcHealthMessages.servingStatus(framed(HealthCheckResponse.newBuilder().setStatus(status).build().toByteArray())))
                    .isEqualTo(status.getNumber());
        }
    }

    @Test
    void unknownFieldsAreSkipped() {
        // field 2 varint 150, field 3 bytes "hi", field 4 fixed32, field 5 fixed64, then status SERVING
        byte[] message = {0x10, (byte) 0x96, 0x01, 0x1a, 0x02, 'h', 'i', 0x25, 1, 2, 3, 4, 0x29, 1, 2, 3, 4, 5, 6, 7, 8, 0x08, 0x01};

        assertThat(GrpcHealthMessages.servingStatus(framed(message))).isEqualTo(GrpcHealthMessages.SERVING);
    }

    @Test
    void malformedResponsesAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> GrpcHealthMessages.servingStatus(Unpooled.wrappedBuffer(new byte[] {0, 0})))
                .withMessage("no response message");
        assertThatIllegalArgumentException().isThrownBy(() -> GrpcHealthMessages.servingStatus(
                Unpooled.wrappedBuffer(new byte[] {1, 0, 0, 0, 2, 0x08, 0x01}))).withMessage("compressed response message");
        assertThatIllegalArgumentException().isThrownBy(() -> GrpcHealthMessages.servingStatus(
                Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0, 9, 0x08, 0x01}))).withMessage("response message of 2 bytes, framed as 9");
        assertThatIllegalArgumentException().isThrownBy(() -> GrpcHealthMessages.servingStatus(framed(new byte[] {0x08, (byte) 0x81})))
                .withMessage("malformed response message");
        assertThatIllegalArgumentException().isThrownBy(() -> GrpcHealthMessages.servingStatus(framed(new byte[] {0x1a, 0x05, 'h'})))
                .withMessage("malformed response message");
        assertThatIllegalArgumentException().isThrownBy(() -> GrpcHealthMessages.servingStatus(framed(new byte[] {0x0b})))
                .withMessage("malformed response message");
    }

    @Test
    void namesAndTimeouts() {
        assertThat(GrpcHealthMessages.servingStatusName(2)).isEqualTo("NOT_SERVING");
        assertThat(GrpcHealthMessages.servingStatusName(9)).isEqualTo("serving status 9");
        assertThat(GrpcHealthMessages.grpcStatusName(12)).isEqualTo("UNIMPLEMENTED");
        assertThat(GrpcHealthMessages.grpcStatusName(99)).isEqualTo("unknown");
        assertThat(GrpcHealthMessages.timeout(Duration.ofMillis(1500))).isEqualTo("1500m");
        assertThat(GrpcHealthMessages.timeout(Duration.ofDays(2))).isEqualTo("172800S");
        assertThat(GrpcHealthMessages.timeout(Duration.ofNanos(5))).isEqualTo("1m");
    }

    private static ByteBuf framed(byte[] message) {
        ByteBuf frame = Unpooled.buffer(5 + message.length);
        frame.writeByte(0).writeInt(message.length).writeBytes(message);
        return frame;
    }
}
