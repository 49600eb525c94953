package io.junction.plugin.http.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpHeadersTest {

    private static HttpHeaders sample() {
        return new HttpHeaders().add("Host", "a").add("Set-Cookie", "x=1").add("accept", "*/*").add("set-cookie", "y=2");
    }

    @Test
    void lookupsIgnoreCaseAndKeepOrder() {
        HttpHeaders headers = sample();
        assertThat(headers.get("SET-COOKIE")).isEqualTo("x=1");
        assertThat(headers.getAll("Set-Cookie")).containsExactly("x=1", "y=2");
        assertThat(headers.getAll("missing")).isEmpty();
        assertThat(headers.get("missing")).isNull();
        assertThat(headers.contains("ACCEPT")).isTrue();
        assertThat(headers.contains("accept-encoding")).isFalse();
        assertThat(headers.size()).isEqualTo(4);
        assertThat(headers.names()).containsExactly("Host", "Set-Cookie", "accept");
    }

    @Test
    void forEachVisitsEveryFieldAsSpelt() {
        List<String> seen = new ArrayList<>();
        sample().forEach((name, value) -> seen.add(name + "=" + value));
        assertThat(seen).containsExactly("Host=a", "Set-Cookie=x=1", "accept=*/*", "set-cookie=y=2");
    }

    @Test
    void setReplacesEveryOccurrenceWhereTheFirstWas() {
        HttpHeaders headers = sample().set("SET-COOKIE", "z=3");
        assertThat(headers.toString()).isEqualTo("[Host: a, SET-COOKIE: z=3, accept: */*]");
        assertThat(headers.set("New", "1").toString()).isEqualTo("[Host: a, SET-COOKIE: z=3, accept: */*, New: 1]");
    }

    @Test
    void removeTakesEveryOccurrence() {
        HttpHeaders headers = sample();
        assertThat(headers.remove("set-cookie")).isTrue();
        assertThat(headers.remove("set-cookie")).isFalse();
        assertThat(headers.toString()).isEqualTo("[Host: a, accept: */*]");
        assertThat(headers.size()).isEqualTo(2);
    }

    @Test
    void manyFieldsGrowTheStorage() {
        HttpHeaders headers = new HttpHeaders();
        for (int i = 0; i < 100; i++) {
            headers.add("X-" + i, Integer.toString(i));
        }
        assertThat(headers.size()).isEqualTo(100);
        assertThat(headers.get("x-99")).isEqualTo("99");
    }

    @Test
    void containsTokenLooksAtEachElementOfEachValue() {
        HttpHeaders headers = new HttpHeaders().add("Connection", "Upgrade ,\tKeep-Alive").add("connection", "x,,CLOSE ");
        assertThat(headers.containsToken("connection", "close")).isTrue();
        assertThat(headers.containsToken("CONNECTION", "keep-alive")).isTrue();
        assertThat(headers.containsToken("connection", "upgrade")).isTrue();
        assertThat(headers.containsToken("connection", "clos")).isFalse();
        assertThat(headers.containsToken("connection", "x,,CLOSE")).isFalse();
        assertThat(headers.containsToken("expect", "100-continue")).isFalse();
        assertThat(new HttpHeaders().add("Connection", "closed").containsToken("Connection", "close")).isFalse();
        assertThat(new HttpHeaders().add("Connection", "\u212Alose").containsToken("Connection", "klose"))
                .as("only ASCII letters fold").isFalse();
    }

    @Test
    void equalityIsSameFieldsSameOrderSameSpelling() {
        assertThat(sample()).isEqualTo(sample()).hasSameHashCodeAs(sample());
        assertThat(sample().add("x", "1")).isNotEqualTo(sample());
        assertThat(new HttpHeaders().add("a", "1")).isNotEqualTo(new HttpHeaders().add("A", "1"));
    }

    @Test
    void fieldsAreReachableByIndex() {
        HttpHeaders headers = sample();
        assertThat(headers.nameAt(3)).isEqualTo("set-cookie");
        assertThat(headers.valueAt(0)).isEqualTo("a");
        assertThatThrownBy(() -> headers.nameAt(4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> headers.valueAt(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new HttpHeaders(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new HttpHeaders(0).add("a", "1")).isEqualTo(new HttpHeaders(3).add("a", "1"));
    }

    @Test
    void whatTheDecoderCheckedStaysCheckedThroughCopiesButNotThroughEdits() {
        HttpHeaders decoded = new HttpHeaders();
        addDecoded(decoded, "A", "1");
        decoded.add("B", "2");
        addDecoded(decoded, "C", "3");
        addDecoded(decoded, "b", "4");
        addDecoded(decoded, "D", "5");
        assertThat(checked(decoded)).containsExactly(true, false, true, true, true);

        HttpHeaders copy = new HttpHeaders(2);
        for (int i = 0; i < decoded.size(); i++) {
            copy.addFrom(decoded, i);
        }
        assertThat(copy).isEqualTo(decoded);
        assertThat(checked(copy)).containsExactly(true, false, true, true, true);

        copy.set("C", "x\r\n");
        assertThat(checked(copy)).as("a value set is checked when sent").containsExactly(true, false, false, true, true);
        copy.remove("b");
        assertThat(copy.toString()).isEqualTo("[A: 1, C: x\r\n, D: 5]");
        assertThat(checked(copy)).as("flags move with their fields").containsExactly(true, false, true);
        copy.set("A", "2");
        assertThat(checked(copy)).containsExactly(false, false, true);
        copy.add("E", "6");
        assertThat(checked(copy)).containsExactly(false, false, true, false);
    }

    @Test
    void removeIfTakesThePickedFieldsInPlaceAndKeepsWhatIsKnownOfTheOthers() {
        HttpHeaders decoded = new HttpHeaders();
        addDecoded(decoded, "A", "1");
        decoded.add("B", "2");
        addDecoded(decoded, "Drop-1", "x");
        addDecoded(decoded, "C", "3");
        addDecoded(decoded, "drop-2", "y");
        java.util.List<Integer> tested = new java.util.ArrayList<>();
        assertThat(decoded.removeIf((h, i) -> {
            tested.add(i);
            return h.nameAt(i).toLowerCase(java.util.Locale.ROOT).startsWith("drop");
        })).isTrue();
        assertThat(tested).as("each field once, in order").containsExactly(0, 1, 2, 3, 4);
        assertThat(decoded.toString()).isEqualTo("[A: 1, B: 2, C: 3]");
        assertThat(checked(decoded)).as("flags move with their fields").containsExactly(true, false, true);
        assertThat(decoded.get("c")).isEqualTo("3");
        assertThat(decoded.contains("drop-1")).isFalse();
        io.netty.buffer.ByteBuf out = io.netty.buffer.Unpooled.buffer();
        String encoded;
        try {
            HttpEncoder.writeResponseHead(out, HttpVersion.HTTP_1_1, 200, "OK", decoded);
            encoded = out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
        assertThat(encoded).as("the lines left are sent as they were read")
                .isEqualTo("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n");
        assertThat(decoded.valueIs(0, "1")).isTrue();
        assertThat(decoded.valueIs(1, "2")).as("a field held as Strings").isTrue();
        assertThat(decoded.valueIs(2, "33")).isFalse();
        HttpHeaders connection = decoded("Connection", "Keep-Alive", "X", "keep-alive, x");
        assertThat(connection.valueIs(0, "keep-alive")).as("ignoring case, read as bytes").isTrue();
        assertThat(connection.valueIs(1, "keep-alive")).as("the whole value only").isFalse();
        assertThat(decoded.removeIf((h, i) -> false)).isFalse();
        assertThat(decoded.size()).isEqualTo(3);
    }

    @Test
    void onlyTheFirst64FieldsAreTracked() {
        HttpHeaders headers = new HttpHeaders();
        for (int i = 0; i < 70; i++) {
            addDecoded(headers, "X-" + i, "v");
        }
        assertThat(headers.isChecked(63)).isTrue();
        assertThat(headers.isChecked(64)).isFalse();
        headers.remove("X-0");
        assertThat(headers.isChecked(62)).isTrue();
        assertThat(headers.isChecked(63)).as("the field that moved into place 63 was not tracked").isFalse();
        headers.remove("X-69");
        assertThat(headers.size()).isEqualTo(68);
        assertThat(headers.isChecked(0)).isTrue();
    }

    @Test
    void everyNameHeldIsFoundWhateverItsCaseAndNoneOnceRemoved() {
        // Absent names are answered from a filter of the names held; a wrong "absent" would lose a field.
        HttpHeaders headers = new HttpHeaders();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String name = (i % 3 == 0 ? "X-Field-" : i % 3 == 1 ? "a" : "Content-") + Integer.toString(i * 7919, 36);
            names.add(name);
            headers.add(name, Integer.toString(i));
        }
        for (int i = 0; i < names.size(); i++) {
            assertThat(headers.get(names.get(i).toUpperCase(java.util.Locale.ROOT))).isEqualTo(Integer.toString(i));
            assertThat(headers.contains(names.get(i).toLowerCase(java.util.Locale.ROOT))).isTrue();
        }
        for (int i = 0; i < names.size(); i += 2) {
            headers.remove(names.get(i));
        }
        for (int i = 0; i < names.size(); i++) {
            assertThat(headers.contains(names.get(i))).as(names.get(i)).isEqualTo(i % 2 == 1);
        }
        headers.set(names.get(1).toUpperCase(java.util.Locale.ROOT), "again");
        assertThat(headers.get(names.get(1))).isEqualTo("again");
        assertThat(new HttpHeaders().add("Via", "1.1 a").contains("via")).isTrue();
        assertThat(new HttpHeaders().add("Via", "1.1 a").contains("x-forwarded-for")).isFalse();
        assertThat(new HttpHeaders().contains("")).isFalse();
    }

    /**
     * Appends a field as the decoder does: its line {@code name:  value } (with the whitespace a
     * sender may put around the value) lies among other bytes, and the field is held as bytes.
     */
    static void addDecoded(HttpHeaders headers, String name, String value) {
        byte[] line = ("garbage" + name + ":  " + value + " \tmore").getBytes(StandardCharsets.ISO_8859_1);
        int from = "garbage".length();
        int valueStart = from + name.length() + 3;
        headers.addRaw(line, from, name.length(), valueStart, valueStart + value.length());
        headers.keepLines(); // as the decoder does before it returns
    }

    private static HttpHeaders decoded(String... namesAndValues) {
        HttpHeaders headers = new HttpHeaders(2);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            addDecoded(headers, namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    @Test
    void fieldsHeldAsBytesAnswerAsFieldsHeldAsStrings() {
        String[] fields = {"Host", "a", "Set-Cookie", "x=1", "accept", "*/*", "set-cookie", "y=2", "Connection", "keep-alive, Upgrade",
            "X-Obs", "caf\u00e9", "X-Empty", ""};
        HttpHeaders bytes = decoded(fields);
        HttpHeaders strings = HttpEncoderTest.headers(fields);
        assertThat(bytes).isEqualTo(strings).hasSameHashCodeAs(strings).hasToString(strings.toString());
        assertThat(bytes.get("SET-COOKIE")).isEqualTo("x=1");
        assertThat(bytes.getAll("Set-Cookie")).containsExactly("x=1", "y=2");
        assertThat(bytes.get("x-obs")).isEqualTo("caf\u00e9");
        assertThat(bytes.get("x-empty")).isEmpty();
        assertThat(bytes.get("hos")).isNull();
        assertThat(bytes.containsToken("connection", "UPGRADE")).isTrue();
        assertThat(bytes.containsToken("connection", "close")).isFalse();
        assertThat(bytes.names()).containsExactly("Host", "Set-Cookie", "accept", "Connection", "X-Obs", "X-Empty");
        assertThat(bytes.nameLength(4)).isEqualTo(10);
        assertThat(bytes.nameIs(4, "CONNECTION")).isTrue();
        assertThat(bytes.nameIs(4, "connectio")).isFalse();
        assertThat(bytes.nameIs(0, "host")).isTrue();
        assertThatThrownBy(() -> bytes.nameIs(7, "host")).isInstanceOf(IndexOutOfBoundsException.class);
        List<String> seen = new ArrayList<>();
        bytes.forEach((name, value) -> seen.add(name + "=" + value));
        assertThat(seen).startsWith("Host=a", "Set-Cookie=x=1").hasSize(7);
        assertThat(checked(bytes)).as("all read by the decoder").containsOnly(true);
    }

    @Test
    void editsOfFieldsHeldAsBytesLeaveTheOthersAsTheyWere() {
        HttpHeaders headers = decoded("A", "1", "Via", "1.1 x", "b", "2", "via", "1.0 y", "C", "3");
        assertThat(headers.set("VIA", "2 z").toString()).isEqualTo("[A: 1, VIA: 2 z, b: 2, C: 3]");
        assertThat(checked(headers)).containsExactly(true, false, true, true);
        assertThat(headers.remove("B")).isTrue();
        assertThat(headers.toString()).isEqualTo("[A: 1, VIA: 2 z, C: 3]");
        assertThat(headers.contains("b")).as("the filter forgets a removed name").isFalse();
        assertThat(headers.get("c")).isEqualTo("3");
        assertThat(headers.nameLength(1)).isEqualTo(3);
        assertThat(headers.nameIs(1, "via")).isTrue();
    }

    @Test
    void aCopySharesTheLinesAndTheSectionTakesNoMoreLinesAfterwards() {
        HttpHeaders section = decoded("Host", "example.com", "Connection", "close", "X-A", "1");
        HttpHeaders copy = new HttpHeaders();
        copy.add("X-First", "0");
        copy.addFrom(section, 0);
        copy.addFrom(section, 2);
        assertThat(copy.raw()).as("shared, not copied").isSameAs(section.raw());
        assertThat(copy.rawStart(0)).isEqualTo(-1);
        assertThat(copy.rawStart(1)).isEqualTo(section.rawStart(0));
        assertThat(copy.toString()).isEqualTo("[X-First: 0, Host: example.com, X-A: 1]");
        assertThat(checked(copy)).containsExactly(false, true, true);
        assertThatThrownBy(() -> addDecoded(section, "X-B", "2")).isInstanceOf(IllegalStateException.class);
        assertThat(section.toString()).isEqualTo("[Host: example.com, Connection: close, X-A: 1]");

        HttpHeaders other = decoded("X-Other", "9");
        copy.addFrom(other, 0);
        assertThat(copy.rawStart(3)).as("a second block: the field is copied as Strings").isEqualTo(-1);
        assertThat(copy.get("x-other")).isEqualTo("9");
        assertThat(checked(copy)).containsExactly(false, true, true, true);
    }

    @Test
    void manyLinesGrowTheBlockAndStayFindable() {
        HttpHeaders headers = new HttpHeaders();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String name = (i % 2 == 0 ? "X-Field-" : "a") + Integer.toString(i * 7919, 36);
            names.add(name);
            addDecoded(headers, name, "v".repeat(i % 40) + i);
        }
        for (int i = 0; i < names.size(); i++) {
            assertThat(headers.get(names.get(i).toUpperCase(java.util.Locale.ROOT))).isEqualTo("v".repeat(i % 40) + i);
        }
        for (int i = 0; i < names.size(); i += 2) {
            headers.remove(names.get(i).toLowerCase(java.util.Locale.ROOT));
        }
        for (int i = 0; i < names.size(); i++) {
            assertThat(headers.contains(names.get(i))).as(names.get(i)).isEqualTo(i % 2 == 1);
        }
    }

    private static List<Boolean> checked(HttpHeaders headers) {
        List<Boolean> flags = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            flags.add(headers.isChecked(i));
        }
        return flags;
    }
}
