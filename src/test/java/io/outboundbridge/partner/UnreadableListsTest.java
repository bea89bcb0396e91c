package io.outboundbridge.partner;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpException;
import org.apache.camel.Endpoint;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.apache.camel.component.file.remote.RemoteFile;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which lists in a partner's inbox are left alone after the server refused to let us read them. */
class UnreadableListsTest {

    final DefaultCamelContext context = new DefaultCamelContext();
    final Endpoint acme = context.getEndpoint("direct:acme");
    final Endpoint beta = context.getEndpoint("direct:beta");
    final UnreadableLists unreadable = new UnreadableLists();

    static GenericFile<Object> file(String relative, long length, long modified) {
        RemoteFile<Object> f = new RemoteFile<>();
        f.setRelativeFilePath(relative);
        f.setFileLength(length);
        f.setLastModified(modified);
        return f;
    }

    @Test
    void should_skip_a_refused_list_until_it_changes() {
        unreadable.refused(acme, "vip/list.csv", file("../processing/vip/list.csv", 100, 1_000));

        assertThat(unreadable.skip(acme, file("vip/list.csv", 100, 1_000))).isTrue();
        assertThat(unreadable.skip(acme, file("vip/list.csv", 100, 1_000))).as("still, at the next poll").isTrue();
        assertThat(unreadable.skip(beta, file("vip/list.csv", 100, 1_000))).as("another partner's inbox").isFalse();
        assertThat(unreadable.skip(acme, file("other.csv", 100, 1_000))).isFalse();

        assertThat(unreadable.skip(acme, file("vip/list.csv", 100, 2_000))).as("changed: taken again").isFalse();
        assertThat(unreadable.skip(acme, file("vip/list.csv", 100, 1_000))).as("and forgotten").isFalse();
    }

    @Test
    void should_tell_a_refused_read_from_other_failures() {
        SftpException denied = new SftpException(ChannelSftp.SSH_FX_PERMISSION_DENIED, "Permission denied");
        SftpException missing = new SftpException(ChannelSftp.SSH_FX_NO_SUCH_FILE, "No such file");

        assertThat(UnreadableLists.isRefusedRead(new GenericFileOperationFailedException("Cannot retrieve", denied)))
                .isTrue();
        assertThat(UnreadableLists.isRefusedRead(new GenericFileOperationFailedException("Cannot retrieve", missing)))
                .isFalse();
        assertThat(UnreadableLists.isRefusedRead(new java.io.IOException("cut off"))).isFalse();
    }
}
