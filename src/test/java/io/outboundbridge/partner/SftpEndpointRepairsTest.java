package io.outboundbridge.partner;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.Session;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SFTP endpoints as our wiring makes them ({@link PartnerSftpComponent} bound as {@code sftp},
 * {@link SftpEndpointDefaults} registered), without a server: the options each endpoint ends up with, and the SSH
 * session each would open.
 */
class SftpEndpointRepairsTest {

    DefaultCamelContext context;

    @BeforeEach
    void setUp() {
        context = new DefaultCamelContext();
        context.getRegistry().bind("sftp", new PartnerSftpComponent());
        context.getCamelContextExtension().registerEndpointCallback(new SftpEndpointDefaults());
        context.start();
    }

    @AfterEach
    void tearDown() {
        context.stop();
    }

    SftpEndpoint endpoint(String options) {
        return context.getEndpoint("sftp://acme@127.0.0.1:2222/inbox?knownHostsFile=/k" + options, SftpEndpoint.class);
    }

    Session session(SftpEndpoint endpoint) throws Exception {
        PartnerSftpComponent.SessionScopedOperations operations =
                (PartnerSftpComponent.SessionScopedOperations) endpoint.createRemoteFileOperations();
        return operations.createSession(endpoint.getConfiguration());
    }

    @Test
    void should_never_read_the_users_known_hosts_whatever_the_uri_says() {
        assertThat(endpoint("").getConfiguration().isUseUserKnownHostsFile()).isFalse();
        assertThat(endpoint("&useUserKnownHostsFile=true").getConfiguration().isUseUserKnownHostsFile()).isFalse();
        assertThat(endpoint("").getConfiguration().getStrictHostKeyChecking()).isEqualTo("yes");
    }

    @Test
    void should_set_an_endpoints_ciphers_and_key_exchange_on_its_own_sessions_only() throws Exception {
        String jvmCiphers = JSch.getConfig("cipher.c2s");
        String jvmKex = JSch.getConfig("kex");
        SftpEndpoint acme = endpoint("&ciphers=aes128-ctr&keyExchangeProtocols=curve25519-sha256");
        SftpEndpoint beta = endpoint("&ciphers=aes256-ctr");
        SftpEndpoint plain = endpoint("");

        Session a = session(acme);
        Session b = session(beta);
        Session p = session(plain);

        assertThat(a.getConfig("cipher.c2s")).isEqualTo("aes128-ctr");
        assertThat(a.getConfig("cipher.s2c")).isEqualTo("aes128-ctr");
        assertThat(a.getConfig("kex")).isEqualTo("curve25519-sha256");
        assertThat(b.getConfig("cipher.c2s")).isEqualTo("aes256-ctr");
        assertThat(b.getConfig("kex")).isEqualTo(jvmKex);
        assertThat(p.getConfig("cipher.c2s")).isEqualTo(jvmCiphers);
        assertThat(JSch.getConfig("cipher.c2s")).as("JSch's defaults for the JVM untouched").isEqualTo(jvmCiphers);
        assertThat(JSch.getConfig("kex")).isEqualTo(jvmKex);
    }
}
