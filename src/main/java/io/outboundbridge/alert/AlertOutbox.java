package io.outboundbridge.alert;

import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * Hands an alert to the queue the {@code send-alert} route takes from: it returns at once, whether the alert
 * endpoint is up, slow or gone. A full queue (the endpoint has not taken alerts for a long while) throws.
 */
public final class AlertOutbox implements Consumer<Alert> {

    /** The queue of the send-alert route. */
    public static final String QUEUE = "seda:send-alert";

    private final CamelContext context;
    private volatile ProducerTemplate template;

    public AlertOutbox(CamelContext context) {
        this.context = context;
    }

    @Override
    public void accept(Alert alert) {
        template().sendBody(QUEUE, alert);
    }

    /** Made at the first alert, when Camel is running. */
    private ProducerTemplate template() {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    template = context.createProducerTemplate();
                }
                t = template;
            }
        }
        return t;
    }
}
