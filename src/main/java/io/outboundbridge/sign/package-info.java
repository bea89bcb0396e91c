/** RSA keys (PEM, PKCS#1/#8, keygen) and the vendor's request signature: template, algorithm, verification. */
package io.outboundbridge.sign;
