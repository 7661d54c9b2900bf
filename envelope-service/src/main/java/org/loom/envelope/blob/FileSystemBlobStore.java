package org.loom.envelope.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Blob bytes in a directory: {@code <root>/<blob id>/part-<n>} for uploaded parts and {@code <root>/<blob id>/content}
 * for the assembled blob. Every file is written to a temporary name, forced to disk and then renamed, so a crash
 * leaves either the old file or the new one, never half of one.
 */
public final class FileSystemBlobStore implements BlobStore {

    private static final String CONTENT = "content";

    private final Path root;

    public FileSystemBlobStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root);
    }

    /** The directory the blobs are kept in. */
    public Path root() {
        return root;
    }

    @Override
    public void writePart(String blobId, int partNumber, byte[] data) throws IOException {
        if (partNumber < 1) {
            throw new IllegalArgumentException("part numbers start at 1");
        }
        Path directory = Files.createDirectories(directoryOf(blobId));
        Path temporary = Files.createTempFile(directory, "part-", ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(data));
            channel.force(true);
        }
        moveIntoPlace(temporary, directory.resolve("part-" + partNumber));
    }

    @Override
    public Written assemble(String blobId, List<Integer> partNumbers) throws IOException {
        Path directory = Files.createDirectories(directoryOf(blobId));
        Path temporary = Files.createTempFile(directory, "content-", ".tmp");
        MessageDigest sha256 = sha256();
        long size = 0;
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
             OutputStream out = new DigestOutputStream(java.nio.channels.Channels.newOutputStream(channel), sha256)) {
            for (int partNumber : partNumbers) {
                try (InputStream in = Files.newInputStream(directory.resolve("part-" + partNumber))) {
                    size += in.transferTo(out);
                }
            }
            out.flush();
            channel.force(true);
        }
        moveIntoPlace(temporary, directory.resolve(CONTENT));
        return new Written(size, HexFormat.of().formatHex(sha256.digest()));
    }

    @Override
    public byte[] read(String blobId) throws IOException {
        return Files.readAllBytes(directoryOf(blobId).resolve(CONTENT));
    }

    @Override
    public void discardParts(String blobId) throws IOException {
        Path directory = directoryOf(blobId);
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("part-")).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private Path directoryOf(String blobId) {
        // BlobIds admits only blob_ + ULID; the check below keeps that promise even if a caller forgets.
        Path directory = root.resolve(BlobIds.require(blobId)).normalize();
        if (!directory.getParent().equals(root)) {
            throw new IllegalArgumentException("blob id escapes the store: " + blobId);
        }
        return directory;
    }

    private static void moveIntoPlace(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
