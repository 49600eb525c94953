package io.junction.plugin.http.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    private static int naive(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\r' || bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Test
    void theWordAtATimeScanFindsTheFirstCrOrLfWhereverItIs() {
        Random random = new Random(42);
        byte[] alphabet = {'a', 'Z', ' ', ':', '\r', '\n', 0x0C, 0x0E, 0x09, 0x0B, (byte) 0x8D, (byte) 0x8A, 0x00, (byte) 0xFF, 0x01};
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[1 + random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++) {
                // mostly bytes near CR and LF (and their high-bit twins), so that false matches would show
                bytes[i] = random.nextInt(6) == 0 ? alphabet[4 + random.nextInt(2)] : alphabet[random.nextInt(alphabet.length)];
            }
            int from = random.nextInt(bytes.length);
            int to = from + random.nextInt(bytes.length - from + 1);
            assertThat(LineReader.indexOfCrOrLf(bytes, from, to)).as("round %d", round).isEqualTo(naive(bytes, from, to));
        }
    }

    @Test
    void noCrOrLfIsMinusOneAtEveryLength() {
        for (int length = 0; length < 33; length++) {
            byte[] bytes = new byte[length];
            java.util.Arrays.fill(bytes, (byte) 0x8D);
            assertThat(LineReader.indexOfCrOrLf(bytes, 0, length)).isEqualTo(-1);
            if (length > 0) {
                bytes[length - 1] = '\n';
                assertThat(LineReader.indexOfCrOrLf(bytes, 0, length)).isEqualTo(length - 1);
            }
        }
    }
}
