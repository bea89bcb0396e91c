package io.outboundbridge.flow;

import org.apache.camel.CamelContext;

/**
 * Wiring of the SFTP partner inboxes (routes poll-partner-sftp and upload-outcome-to-partner): their beans, and
 * strict host key checking for every SFTP endpoint.
 */
final class PartnerSftp {

    private PartnerSftp() {
    }

    static void wire(CamelContext context, BridgeSettings settings, ListLedger ledger) {
        context.getCamelContextExtension().registerEndpointCallback(new SftpEndpointDefaults());
        context.getRegistry().bind("partnerConnections", new PartnerConnections(ledger));
        context.getRegistry().bind("partnerOutcomeFiles", new PartnerOutcomeFiles(settings.archive(), settings.error()));
    }
}
