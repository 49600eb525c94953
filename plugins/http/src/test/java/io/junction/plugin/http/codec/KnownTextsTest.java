package io.junction.plugin.http.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

class KnownTextsTest {

    @Test
    void aKnownNameOrValueFromHpackIsTheSharedStringAndAnyOtherACopy() {
        String first = KnownTexts.of(new AsciiString("content-type"));
        assertThat(first).isEqualTo("content-type");
        assertThat(KnownTexts.of(new AsciiString("content-type"))).isSameAs(first);
        assertThat(KnownTexts.of(new AsciiString("application/grpc"))).isSameAs(KnownTexts.of(AsciiString.of("application/grpc")));
        assertThat(KnownTexts.of(new AsciiString("x-my-field"))).isEqualTo("x-my-field");
        assertThat(KnownTexts.of(new AsciiString("Content-Type"))).isEqualTo("Content-Type"); // case kept: only exact texts are shared
        assertThat(KnownTexts.of("content-type")).isEqualTo("content-type"); // not an AsciiString: copied as is
    }

    @Test
    void lowerCaseKeepsALowerCaseNameAndLowersAnyOther() {
        String lower = "x-forwarded-for";
        assertThat(KnownTexts.lowerCase(lower)).isSameAs(lower);
        assertThat(KnownTexts.lowerCase("X-Forwarded-For").toString()).isEqualTo("x-forwarded-for");
        assertThat(KnownTexts.lowerCase("X-Forwarded-For")).isSameAs(KnownTexts.lowerCase("X-Forwarded-For"));
        assertThat(KnownTexts.lowerCase("X-My-Field").toString()).isEqualTo("x-my-field");
        assertThat(KnownTexts.lowerCase("CONTENT-TYPE").toString()).isEqualTo("content-type"); // not the usual spelling
    }
}
