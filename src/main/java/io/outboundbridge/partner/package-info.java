/** Partner SFTP inboxes: the partner's inbox and folders, the poll strategy with remote crash recovery, cut-off and refused downloads, host-key probing, strict host keys from the configured known_hosts only, and the sftp component with per-endpoint ciphers. */
package io.outboundbridge.partner;
