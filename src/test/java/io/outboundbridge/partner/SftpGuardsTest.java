package io.outboundbridge.partner;

import io.outboundbridge.support.PartnerServer;
import io.outboundbridge.support.SftpServer;
import java.nio.file.Path;

/**
 * {@link SftpGuardScenarios} against Apache MINA SSHD (embedded, see {@link SftpServer}): one server per partner,
 * each accepting a single cipher where a scenario says so, refusing to read a file its owner may not read.
 */
class SftpGuardsTest extends SftpGuardScenarios {

    @Override
    PartnerServer startServer(Path home, String cipher) {
        return SftpServer.startAccepting(home, cipher);
    }
}
