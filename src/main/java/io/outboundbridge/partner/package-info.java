/** Partner SFTP inboxes: the partner's inbox and folders, the poll strategy with remote crash recovery and cut-off downloads, host-key probing and strict host keys. */
package io.outboundbridge.partner;
