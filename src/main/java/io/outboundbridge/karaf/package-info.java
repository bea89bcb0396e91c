/** The OSGi bundle activator: boots the same wiring inside Apache Karaf from the ConfigAdmin PID outbound.bridge. */
package io.outboundbridge.karaf;
