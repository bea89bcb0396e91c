/** Alerts: one JSON message per event to the endpoint of bridge.alert.uri, repeats within the quiet period counted into one, a recovered message when a condition ends. */
package io.outboundbridge.alert;
