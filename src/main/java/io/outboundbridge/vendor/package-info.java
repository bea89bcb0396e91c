/** The vendor's answer envelope and the exceptions that classify a call (retry, or refuse the list). */
package io.outboundbridge.vendor;
