package org.loom.system;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * A real SMTP server (GreenMail) the email-bridge relays to, with the time each message was first seen (a watcher
 * wakes on every arrival): a repeat is judged by when its first copy came.
 */
final class MailReceiver implements AutoCloseable {

    private final GreenMail greenMail;
    private final List<Instant> seenAt = new ArrayList<>();
    private final Thread watcher;
    private volatile boolean stopped;

    private MailReceiver(int port) {
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        watcher = new Thread(this::watch, "mail-receiver-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Listens for SMTP on {@code port} of the loopback interface. */
    static MailReceiver start(int port) {
        return new MailReceiver(port);
    }

    int count() {
        return greenMail.getReceivedMessages().length;
    }

    /** The subjects received starting with {@code prefix}, each with when each copy was first seen. */
    Map<String, List<Instant>> arrivalsBySubject(String prefix) {
        MimeMessage[] messages = greenMail.getReceivedMessages();
        Map<String, List<Instant>> bySubject = new HashMap<>();
        synchronized (seenAt) {
            for (int i = 0; i < messages.length; i++) {
                String subject;
                try {
                    subject = messages[i].getSubject();
                } catch (MessagingException e) {
                    throw new IllegalStateException(e);
                }
                if (subject != null && subject.startsWith(prefix)) {
                    Instant at = i < seenAt.size() ? seenAt.get(i) : Instant.now();
                    bySubject.computeIfAbsent(subject, key -> new ArrayList<>()).add(at);
                }
            }
        }
        return bySubject;
    }

    private void watch() {
        while (!stopped && !Thread.currentThread().isInterrupted()) {
            int received = greenMail.getReceivedMessages().length;
            synchronized (seenAt) {
                while (seenAt.size() < received) {
                    seenAt.add(Instant.now());
                }
            }
            // Returns as soon as another message is in (or after a second, to look at the stop flag).
            greenMail.waitForIncomingEmail(1000, received + 1);
        }
    }

    @Override
    public void close() {
        stopped = true;
        watcher.interrupt();
        greenMail.stop();
    }
}
