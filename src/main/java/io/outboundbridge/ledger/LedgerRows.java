package io.outboundbridge.ledger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Row mapping shared by the ledger's operations: times as UTC timestamps, nullable numbers, generated ids, and text
 * from outside shortened to its column, so that recording a long vendor message cannot fail.
 */
final class LedgerRows {

    private LedgerRows() {
    }

    /**
     * {@code text} as it fits a column of {@code max} characters: unchanged when it fits, otherwise its start and a
     * marker with its full length, {@code …(2100 chars)}. Never cut between the two halves of a character outside the
     * BMP; NUL characters (which PostgreSQL refuses in text) become U+FFFD.
     */
    static String bounded(String text, int max) {
        if (text == null) {
            return null;
        }
        String clean = text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
        if (clean.length() <= max) {
            return clean;
        }
        String marker = "\u2026(" + clean.codePointCount(0, clean.length()) + " chars)";
        if (marker.length() >= max) {
            return cut(clean, max);
        }
        return cut(clean, max - marker.length()) + marker;
    }

    /** The first {@code n} chars of {@code s}, one fewer when the n-th is the first half of a surrogate pair. */
    private static String cut(String s, int n) {
        int end = n > 0 && Character.isHighSurrogate(s.charAt(n - 1)) ? n - 1 : n;
        return s.substring(0, end);
    }

    static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static long generatedId(PreparedStatement ps) throws SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("the database returned no generated id");
            }
            return keys.getLong(1);
        }
    }
}
