package io.outboundbridge.run;

import io.outboundbridge.sign.RequestSigner;
import io.outboundbridge.sign.SignedHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Signs the vendor request in the message body with a fresh timestamp and sets the vendor's headers and the path
 * it is posted to (part of what may be signed), from the {@code call} exchange property; runs on every attempt, so
 * a retried call is signed anew.
 */
public final class SignVendorRequest implements Processor {

    /** Exchange property holding the {@link VendorCall} being sent. */
    public static final String CALL_PROPERTY = "call";

    private final RequestSigner signer;

    public SignVendorRequest(RequestSigner signer) {
        this.signer = signer;
    }

    @Override
    public void process(Exchange exchange) throws InvalidPayloadException {
        Message message = exchange.getMessage();
        byte[] body = message.getMandatoryBody(byte[].class);
        String path = exchange.getProperty(CALL_PROPERTY, VendorCall.class).getPath();
        SignedHeaders signed = signer.sign("POST", path, body);
        // one endpoint for both calls: the path goes in a header, so no endpoint URI is built per call
        message.setHeader(Exchange.HTTP_PATH, path);
        message.setHeader("appId", signed.appId());
        message.setHeader("timestamp", signed.timestamp());
        message.setHeader("sign", signed.sign());
        message.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=UTF-8");
        message.setHeader(Exchange.HTTP_METHOD, "POST");
    }
}
