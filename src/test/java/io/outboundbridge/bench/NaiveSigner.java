package io.outboundbridge.bench;

import io.outboundbridge.sign.RequestSigner;
import io.outboundbridge.sign.SignedHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/** Signs the marshalled body (fresh timestamp) and sets the vendor's headers, as the naive baseline's processor. */
public final class NaiveSigner implements Processor {

    private final RequestSigner signer;

    public NaiveSigner(RequestSigner signer) {
        this.signer = signer;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        byte[] body = message.getMandatoryBody(byte[].class);
        message.setBody(body);
        NaiveRequests.Run run = exchange.getProperty("naiveRun", NaiveRequests.Run.class);
        SignedHeaders signed = signer.sign("POST", run.getPath(), body);
        message.setHeader("appId", signed.appId());
        message.setHeader("timestamp", signed.timestamp());
        message.setHeader("sign", signed.sign());
        message.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=UTF-8");
        message.setHeader(Exchange.HTTP_METHOD, "POST");
    }
}
