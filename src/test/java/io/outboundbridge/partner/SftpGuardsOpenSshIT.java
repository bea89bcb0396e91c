package io.outboundbridge.partner;

import io.outboundbridge.support.OpenSshServer;
import io.outboundbridge.support.PartnerServer;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link SftpGuardScenarios} against Debian's OpenSSH sshd (see {@link OpenSshServer}): one sshd per partner,
 * with {@code Ciphers} set where a scenario says so, the bridge logged in as a user who is not root, so that a
 * file's mode is what the partner's server enforces.
 */
class SftpGuardsOpenSshIT extends SftpGuardScenarios {

    @BeforeEach
    void needsOpenSsh() {
        assumeTrue(OpenSshServer.installed(), "OpenSSH server not installed (" + OpenSshServer.SSHD
                + "): apt-get install openssh-server");
    }

    @Override
    PartnerServer startServer(Path home, String cipher) {
        return OpenSshServer.startAccepting(home, cipher);
    }
}
