package io.outboundbridge.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The external ids of a task's customers in arrival order, packed: their UTF-8 bytes one after another and where
 * each ends. About 12 bytes an id instead of a String's 50 or so, so a sandbox taking a 1,000,000-customer run keeps
 * every id in a few MB. Strings are made again only for a snapshot. Not thread-safe: the task book locks.
 */
final class IdList {

    private byte[] bytes = new byte[1024];
    private int used;
    private int[] ends = new int[64];
    private int size;

    /** @param id an accepted customer's id, never null (the vendor rules require it) */
    void add(String id) {
        if (size == ends.length) {
            ends = Arrays.copyOf(ends, size * 2);
        }
        if (isAscii(id)) {
            int n = id.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                bytes[used++] = (byte) id.charAt(i);
            }
        } else {
            byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, bytes, used, utf8.length);
            used += utf8.length;
        }
        ends[size++] = used;
    }

    int size() {
        return size;
    }

    /** The ids as an unmodifiable list. */
    List<String> toList() {
        String[] out = new String[size];
        int from = 0;
        for (int i = 0; i < size; i++) {
            out[i] = new String(bytes, from, ends[i] - from, StandardCharsets.UTF_8);
            from = ends[i];
        }
        return List.of(out);
    }

    private void ensure(int more) {
        if (used + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + more));
        }
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
