package io.outboundbridge.partner;

/**
 * A list taken from a partner's SFTP inbox: the inbox, and the list's name relative to it ({@code vip/list.csv}).
 *
 * @param inbox    the partner's inbox
 * @param fileName the list's name relative to the inbox folder
 */
public record PartnerDrop(PartnerInbox inbox, String fileName) {
}
