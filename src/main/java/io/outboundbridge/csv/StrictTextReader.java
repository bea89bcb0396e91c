package io.outboundbridge.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * Decodes bytes strictly: undecodable input is an error, never a silent U+FFFD.
 * Unlike {@link java.io.InputStreamReader}, it first hands out every character decoded before the bad bytes and
 * fails only on the read after, so the caller knows the exact line the bad bytes are on.
 */
final class StrictTextReader extends Reader {

    private final InputStream in;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(32 * 1024).flip();
    private boolean endOfBytes;
    private boolean flushed;
    private boolean failed;

    StrictTextReader(InputStream in, Charset charset) {
        this.in = in;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    @Override
    public int read(char[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        CharBuffer out = CharBuffer.wrap(target, offset, length);
        while (out.position() == offset) {
            if (failed) {
                throw new CharacterCodingException();
            }
            if (flushed) {
                return -1;
            }
            CoderResult result = decoder.decode(bytes, out, endOfBytes);
            if (result.isError()) {
                failed = true;
            } else if (result.isUnderflow()) {
                if (endOfBytes) {
                    decoder.flush(out);
                    flushed = true;
                } else {
                    readBytes();
                }
            }
        }
        return out.position() - offset;
    }

    private void readBytes() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
            endOfBytes = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
