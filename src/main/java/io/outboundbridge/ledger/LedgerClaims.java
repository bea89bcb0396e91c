package io.outboundbridge.ledger;

import static io.outboundbridge.ledger.LedgerRows.bounded;
import static io.outboundbridge.ledger.LedgerRows.instant;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The ledger's records of which instance works on which list: list claims with a lease and a fence, the leases of
 * runs, and the instances seen. Every lease is reckoned by the database's clock, and a claim changes hands in one
 * atomic statement, so of several instances taking a list at once exactly one gets it. Behind {@link Ledger}.
 */
final class LedgerClaims {

    /** The longest list key: {@code ledger_claim.list_key}. */
    static final int KEY_MAX = 1000;

    private final LedgerDatabase db;
    private final String instance;
    private final BigDecimal lease;

    LedgerClaims(LedgerDatabase db, String instance, long leaseMillis) {
        this.db = db;
        this.instance = bounded(instance, LedgerSql.OWNER_MAX);
        this.lease = seconds(leaseMillis);
    }

    static BigDecimal seconds(long millis) {
        return BigDecimal.valueOf(millis, 3);
    }

    BigDecimal lease() {
        return lease;
    }

    OptionalLong take(String key, boolean ownIsLapsed) {
        String what = "claim list " + key;
        boolean inserted = db.autoCommit(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.INSERT_LIST_CLAIM)) {
                ps.setString(1, key);
                ps.setString(2, instance);
                ps.setBigDecimal(3, lease);
                return ps.executeUpdate() == 1;
            }
        }, e -> LedgerDatabase.isUniqueViolation(e) ? Optional.of(false) : Optional.empty());
        if (inserted) {
            return OptionalLong.of(1);
        }
        return db.write(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.TAKE_LIST_CLAIM)) {
                ps.setString(1, instance);
                ps.setBigDecimal(2, lease);
                ps.setString(3, key);
                ps.setString(4, instance);
                ps.setInt(5, ownIsLapsed ? 1 : 0);
                if (ps.executeUpdate() == 0) {
                    return OptionalLong.empty();
                }
            }
            return claim(c, key).map(h -> OptionalLong.of(h.fence())).orElse(OptionalLong.empty());
        });
    }

    boolean release(String key) {
        return db.write("release list " + key, c -> {
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.RELEASE_LIST_CLAIM)) {
                ps.setString(1, key);
                ps.setString(2, instance);
                return ps.executeUpdate() == 1;
            }
        });
    }

    Optional<ListClaim> holder(String key) {
        return db.read("read the claim of list " + key, c -> claim(c, key));
    }

    List<ListClaim> claims() {
        return db.read("read list claims", c -> {
            List<ListClaim> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.LIST_CLAIMS);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.add(claim(rs));
                }
            }
            return all;
        });
    }

    Renewal renew(Map<String, Long> keys, Map<Long, Long> runs) {
        return db.write("renew the claims of " + instance, c -> {
            Set<String> lostKeys = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.RENEW_LIST_CLAIM)) {
                for (Map.Entry<String, Long> k : keys.entrySet()) {
                    ps.setBigDecimal(1, lease);
                    ps.setString(2, k.getKey());
                    ps.setString(3, instance);
                    ps.setLong(4, k.getValue());
                    if (ps.executeUpdate() == 0) {
                        lostKeys.add(k.getKey());
                    }
                }
            }
            Set<Long> lostRuns = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.RENEW_RUN)) {
                for (Map.Entry<Long, Long> r : runs.entrySet()) {
                    ps.setBigDecimal(1, lease);
                    ps.setLong(2, r.getKey());
                    ps.setString(3, instance);
                    ps.setLong(4, r.getValue());
                    if (ps.executeUpdate() == 0) {
                        lostRuns.add(r.getKey());
                    }
                }
            }
            see(c);
            return new Renewal(lostKeys, lostRuns);
        });
    }

    /**
     * Registers this instance as started now, and lets go of what an earlier process under the same id held
     * ({@code all}: of every instance, for an embedded ledger only one instance uses): its list claims are released
     * and its unfinished runs' leases lapse, so a restart takes its lists back at once rather than after a lease.
     */
    void start(boolean all) {
        db.write("register instance " + instance, c -> {
            try (PreparedStatement ps = c.prepareStatement(all ? LedgerSql.RELEASE_ALL_LIST_CLAIMS
                    : LedgerSql.RELEASE_LIST_CLAIMS_OF)) {
                if (!all) {
                    ps.setString(1, instance);
                }
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(all ? LedgerSql.LAPSE_ALL_RUNS : LedgerSql.LAPSE_RUNS_OF)) {
                if (!all) {
                    ps.setString(1, instance);
                }
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.RESTART_INSTANCE)) {
                ps.setString(1, instance);
                if (ps.executeUpdate() == 0) {
                    try (PreparedStatement insert = c.prepareStatement(LedgerSql.INSERT_INSTANCE)) {
                        insert.setString(1, instance);
                        insert.executeUpdate();
                    }
                }
            }
            return null;
        });
    }

    void stop() {
        db.write("deregister instance " + instance, c -> {
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.REMOVE_INSTANCE)) {
                ps.setString(1, instance);
                ps.executeUpdate();
            }
            return null;
        });
    }

    List<InstanceSeen> instances() {
        return db.read("read instances", c -> {
            List<InstanceSeen> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(LedgerSql.INSTANCES)) {
                ps.setBigDecimal(1, lease);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        all.add(new InstanceSeen(rs.getString(1), instant(rs, 2), instant(rs, 3), rs.getInt(4) == 1));
                    }
                }
            }
            return all;
        });
    }

    private void see(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.SEE_INSTANCE)) {
            ps.setString(1, instance);
            if (ps.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.INSERT_INSTANCE)) {
            ps.setString(1, instance);
            ps.executeUpdate();
        }
    }

    private static Optional<ListClaim> claim(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LedgerSql.LIST_CLAIM)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(claim(rs)) : Optional.empty();
            }
        }
    }

    private static ListClaim claim(ResultSet rs) throws SQLException {
        return new ListClaim(rs.getString(1), rs.getString(2), rs.getLong(3), instant(rs, 4), instant(rs, 5),
                rs.getInt(6) == 1);
    }
}
