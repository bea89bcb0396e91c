package io.outboundbridge.run;

import io.outboundbridge.sign.RequestSigner;
import io.outboundbridge.sign.SignedHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Signs the vendor request in the message body with a fresh timestamp and sets the vendor's headers; runs on
 * every attempt, so a retried call is signed anew.
 */
public final class SignVendorRequest implements Processor {

    /** Exchange property holding the path the request is posted to (part of what may be signed). */
    public static final String PATH_PROPERTY = "vendorPath";

    private final RequestSigner signer;

    public SignVendorRequest(RequestSigner signer) {
        this.signer = signer;
    }

    @Override
    public void process(Exchange exchange) throws InvalidPayloadException {
        Message message = exchange.getMessage();
        byte[] body = message.getMandatoryBody(byte[].class);
        SignedHeaders signed = signer.sign("POST", exchange.getProperty(PATH_PROPERTY, String.class), body);
        message.setHeader("appId", signed.appId());
        message.setHeader("timestamp", signed.timestamp());
        message.setHeader("sign", signed.sign());
        message.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=UTF-8");
        message.setHeader(Exchange.HTTP_METHOD, "POST");
    }
}
