package io.outboundbridge.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP link on 127.0.0.1 to a server (the sandbox vendor) that a test can cut and restore on the same port: while
 * it is down, a connection is refused and the connections it carried are closed, as when the vendor cannot be
 * reached; the server behind it keeps its state.
 */
public final class VendorLink implements AutoCloseable {

    private final int target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    private VendorLink(int target, ServerSocket server) {
        this.target = target;
        this.server = server;
        this.port = server.getLocalPort();
        accept(server);
    }

    /** A link up on a free port to {@code targetPort} on 127.0.0.1. */
    public static VendorLink to(int targetPort) throws IOException {
        return new VendorLink(targetPort, listen(0));
    }

    public int port() {
        return port;
    }

    /** Cuts the link: the port refuses connections, the connections it carried are closed. */
    public synchronized void down() {
        close(server);
        server = null;
        open.forEach(VendorLink::close);
        open.clear();
    }

    /** Restores the link on the same port. */
    public synchronized void up() {
        if (server == null) {
            try {
                server = listen(port);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot listen on " + port + " again", e);
            }
            accept(server);
        }
    }

    @Override
    public void close() {
        down();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }

    private void accept(ServerSocket listening) {
        daemon(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    Socket vendor = new Socket(InetAddress.getLoopbackAddress(), target);
                    open.add(client);
                    open.add(vendor);
                    daemon(() -> pump(client, vendor));
                    daemon(() -> pump(vendor, client));
                } catch (IOException e) {
                    // closed by down()
                }
            }
        });
    }

    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // one side closed
        } finally {
            close(from);
            close(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void daemon(Runnable work) {
        Thread t = new Thread(work, "vendor-link");
        t.setDaemon(true);
        t.start();
    }

    private static void close(java.io.Closeable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }
}
