package io.outboundbridge.wiring;

import io.outboundbridge.partner.PartnerSftpComponent;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.camel.component.file.FileComponent;
import org.apache.camel.component.file.FileComponentConfigurer;
import org.apache.camel.component.file.FileEndpointConfigurer;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.remote.SftpComponentConfigurer;
import org.apache.camel.component.file.remote.SftpEndpointConfigurer;
import org.apache.camel.component.file.remote.SftpRemoteFile;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file and sftp components, taking an option set twice in one URI once, with its first value: a user's
 * {@code bridge.inbox.uri} comes before the options the inbox routes add, so {@code ...?delay=1000} written the way
 * Camel users write it wins over the route's {@code delay}, instead of stopping the start with "No type converter
 * available to convert from type: java.util.ArrayList".
 */
final class FirstOptionWins {

    private static final Logger LOG = LoggerFactory.getLogger(FirstOptionWins.class);

    private FirstOptionWins() {
    }

    /** Replaces each option given more than once by its first value, and says which options those were. */
    static void keepFirst(String remaining, Map<String, Object> parameters) {
        TreeSet<String> twice = new TreeSet<>();
        for (Map.Entry<String, Object> e : parameters.entrySet()) {
            if (e.getValue() instanceof List<?> values && !values.isEmpty()) {
                e.setValue(values.get(0));
                twice.add(e.getKey());
            }
        }
        if (!twice.isEmpty()) {
            LOG.info("{}: option(s) {} set in the URI and by the route; the URI's value is used",
                    URISupport.sanitizePath(remaining), twice);
        }
    }

    /** The {@code file} component. */
    static final class Files extends FileComponent {
        @Override
        protected GenericFileEndpoint<File> createEndpoint(String uri, String remaining, Map<String, Object> parameters)
                throws Exception {
            keepFirst(remaining, parameters);
            return super.createEndpoint(uri, remaining, parameters);
        }

        // the configurers Camel generated for the file component (looked up by the component's class otherwise)
        @Override
        public PropertyConfigurer getComponentPropertyConfigurer() {
            return new FileComponentConfigurer();
        }

        @Override
        public PropertyConfigurer getEndpointPropertyConfigurer() {
            return new FileEndpointConfigurer();
        }
    }

    /** The {@code sftp} component. */
    static final class Sftp extends PartnerSftpComponent {
        @Override
        protected GenericFileEndpoint<SftpRemoteFile> createEndpoint(String uri, String remaining, Map<String, Object> parameters)
                throws Exception {
            keepFirst(remaining, parameters);
            return super.createEndpoint(uri, remaining, parameters);
        }

        // the configurers Camel generated for the sftp component (looked up by the component's class otherwise)
        @Override
        public PropertyConfigurer getComponentPropertyConfigurer() {
            return new SftpComponentConfigurer();
        }

        @Override
        public PropertyConfigurer getEndpointPropertyConfigurer() {
            return new SftpEndpointConfigurer();
        }
    }
}
