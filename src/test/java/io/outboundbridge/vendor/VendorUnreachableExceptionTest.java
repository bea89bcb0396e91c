package io.outboundbridge.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import org.apache.camel.RuntimeCamelException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.junit.jupiter.api.Test;

class VendorUnreachableExceptionTest {

    @Test
    void should_say_the_connection_was_refused_and_nothing_was_sent() {
        // what HttpClient 5 throws for a refused connection
        HttpHostConnectException refused =
                new HttpHostConnectException("Connect to http://127.0.0.1:1 failed: Connection refused");
        assertThat(VendorUnreachableException.of(refused))
                .hasMessage("the vendor could not be reached: connection refused; nothing was sent")
                .isInstanceOf(VendorRetryableException.class);
    }

    @Test
    void should_name_a_connect_timeout_an_unknown_host_and_no_route() {
        assertThat(VendorUnreachableException.of(new ConnectTimeoutException("Connect to x timed out")))
                .hasMessage("the vendor could not be reached: connect timed out; nothing was sent");
        assertThat(VendorUnreachableException.of(new UnknownHostException("vendor.invalid")))
                .hasMessage("the vendor could not be reached: unknown host vendor.invalid; nothing was sent");
        assertThat(VendorUnreachableException.of(new NoRouteToHostException("No route to host")))
                .hasMessage("the vendor could not be reached: no route to host; nothing was sent");
    }

    @Test
    void should_find_the_reason_inside_a_wrapper() {
        assertThat(VendorUnreachableException.of(new RuntimeCamelException(new ConnectException("Connection refused"))))
                .hasMessage("the vendor could not be reached: connection refused; nothing was sent");
    }
}
