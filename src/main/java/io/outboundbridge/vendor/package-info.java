/**
 * The vendor's answer envelope, the exceptions that classify a call (retry, or refuse the list), and the vendor breaker
 * that holds calls and intake while the vendor is out.
 */
package io.outboundbridge.vendor;
