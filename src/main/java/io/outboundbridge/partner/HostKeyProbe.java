package io.outboundbridge.partner;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UserInfo;

/**
 * Asks an SFTP server which host key it presents, without logging in, so that a refused host key can be reported
 * with the fingerprint the operator compares with the partner's.
 */
final class HostKeyProbe {

    private HostKeyProbe() {
    }

    /**
     * Type and SHA256 fingerprint of the key the server presents. The probe stops at the host key check, before
     * any credential is sent.
     */
    static String presentedKey(String host, int port, int timeoutMillis) {
        JSch jsch = new JSch();
        HostKey[] seen = new HostKey[1];
        jsch.setHostKeyRepository(new CapturingRepository(seen));
        Session session = null;
        try {
            session = jsch.getSession("host-key-probe", host, port);
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setUserInfo(new Silent());
            session.connect(timeoutMillis > 0 ? timeoutMillis : 10_000);
        } catch (JSchException expected) {
            // the probe always ends here: the captured key is refused on purpose
        } finally {
            if (session != null) {
                session.disconnect();
            }
        }
        return seen[0] == null ? "(no key: the server could not be reached again)"
                : seen[0].getType() + " key " + seen[0].getFingerPrint(jsch);
    }

    /** Remembers the key a server presents and refuses it. */
    private record CapturingRepository(HostKey[] seen) implements HostKeyRepository {

        @Override
        public int check(String host, byte[] key) {
            try {
                seen[0] = new HostKey(host, key);
            } catch (JSchException e) {
                seen[0] = null;
            }
            return NOT_INCLUDED;
        }

        @Override
        public void add(HostKey hostkey, UserInfo ui) {
        }

        @Override
        public void remove(String host, String type) {
        }

        @Override
        public void remove(String host, String type, byte[] key) {
        }

        @Override
        public String getKnownHostsRepositoryID() {
            return "host-key-probe";
        }

        @Override
        public HostKey[] getHostKey() {
            return new HostKey[0];
        }

        @Override
        public HostKey[] getHostKey(String host, String type) {
            return new HostKey[0];
        }
    }

    /** Answers no to every question (never adds a key). */
    private static final class Silent implements UserInfo {
        @Override
        public String getPassphrase() {
            return null;
        }

        @Override
        public String getPassword() {
            return null;
        }

        @Override
        public boolean promptPassword(String message) {
            return false;
        }

        @Override
        public boolean promptPassphrase(String message) {
            return false;
        }

        @Override
        public boolean promptYesNo(String message) {
            return false;
        }

        @Override
        public void showMessage(String message) {
        }
    }
}
