package io.junction.plugin.http.codec;

import io.netty.buffer.ByteBuf;

/**
 * Reads a header or trailer section (RFC 9112 5) a field line at a time, as bytes arrive, within
 * the size and count limits. Names must be tokens directly followed by the colon; values hold
 * only VCHAR, SP, HTAB and obs-text, and lose the whitespace around them; obs-fold is refused.
 */
final class FieldSectionReader {

    /** Which section, and the reasons given when it exceeds a limit: constants, not a pair of Strings per connection. */
    enum Section {
        HEADER("header-too-large", "too-many-headers"),
        TRAILER("trailer-too-large", "too-many-trailers");

        private final String tooLarge;
        private final String tooMany;

        Section(String tooLarge, String tooMany) {
            this.tooLarge = tooLarge;
            this.tooMany = tooMany;
        }
    }

    private final LineReader lines;
    private final HttpLimits limits;
    private final Section section;
    private HttpHeaders fields;
    private int size;
    /** The number of fields of the last section read: the next one's room, since a peer's messages tend to look alike. */
    private int lastCount = 8;

    FieldSectionReader(LineReader lines, HttpLimits limits, Section section) {
        this.lines = lines;
        this.limits = limits;
        this.section = section;
    }

    void start() {
        fields = new HttpHeaders(lastCount);
        size = 0;
    }

    /** The section once its empty line is read; null while more bytes are needed. */
    HttpHeaders read(ByteBuf in) throws HttpParseException {
        HttpHeaders reading = fields;
        try {
            return readLines(in);
        } finally {
            reading.keepLines(); // out of the thread's scratch block before anything else can use it
        }
    }

    private HttpHeaders readLines(ByteBuf in) throws HttpParseException {
        for (;;) {
            int length = lines.read(in, Math.max(limits.maxHeaderSize() - size - 2, 0));
            if (length == LineReader.NEED_MORE) {
                return null;
            }
            if (length == LineReader.TOO_LONG) {
                throw new HttpParseException(431, section.tooLarge);
            }
            if (length == 0) {
                HttpHeaders complete = fields;
                fields = null;
                lastCount = Math.max(4, Math.min(complete.size(), 64));
                return complete;
            }
            size += length + 2;
            if (fields.size() == limits.maxHeaderCount()) {
                throw new HttpParseException(431, section.tooMany);
            }
            addField(lines.bytes(), lines.start(), length);
        }
    }

    /** The field line {@code line[from, from + length)}. */
    private void addField(byte[] line, int from, int length) throws HttpParseException {
        if (Ascii.isWhitespace(line[from])) {
            throw HttpParseException.badRequest("obs-fold");
        }
        int lineEnd = from + length;
        int colon = from;
        while (colon < lineEnd && Ascii.isTchar(line[colon] & 0xFF)) {
            colon++;
        }
        if (colon == lineEnd || line[colon] != ':') {
            int after = colon;
            while (after < lineEnd && Ascii.isWhitespace(line[after])) {
                after++;
            }
            boolean spaceBeforeColon = colon > from && after > colon && after < lineEnd && line[after] == ':';
            throw HttpParseException.badRequest(spaceBeforeColon ? "whitespace-before-colon" : "invalid-header-name");
        }
        if (colon == from) {
            throw HttpParseException.badRequest("invalid-header-name");
        }
        int start = colon + 1;
        int end = lineEnd;
        while (start < end && Ascii.isWhitespace(line[start])) {
            start++;
        }
        while (end > start && Ascii.isWhitespace(line[end - 1])) {
            end--;
        }
        for (int i = start; i < end; i++) {
            if (!Ascii.isFieldChar(line[i] & 0xFF)) {
                throw HttpParseException.badRequest("invalid-header-value");
            }
        }
        fields.addRaw(line, from, colon - from, start, end);
    }
}
