package org.loom.bench;

import java.util.concurrent.TimeUnit;

import org.loom.protocol.crypto.Signature;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.envelope.EnvelopeValidator;
import org.loom.protocol.json.CanonicalJson;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The per-envelope cost of the write path's protocol work: canonicalising and verifying a typical 1 KB signed
 * envelope, the same starting from the raw request bytes (parse + validate + verify), and signing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class EnvelopeSignatureBenchmark {

    private SigningKey signingKey;
    private VerifyingKey verifyingKey;
    private ObjectNode unsigned;
    private JsonNode signed;
    private byte[] signedRequestBytes;
    private byte[] canonicalBytes;
    private Signature signatureValue;

    @Setup
    public void setUp() {
        signingKey = SigningKey.generate();
        verifyingKey = signingKey.verifyingKey();
        unsigned = SampleEnvelopes.typicalUnsigned();
        signed = EnvelopeSignatures.sign(unsigned, signingKey, SampleEnvelopes.KEY_ID);
        signedRequestBytes = LoomJson.writeBytes(signed);
        canonicalBytes = EnvelopeSignatures.signedBytes(signed);
        signatureValue = Signature.fromBase64Url(signed.get("signature").get("value").stringValue());
        if (!EnvelopeSignatures.verify(signed, verifyingKey)) {
            throw new IllegalStateException("sample envelope does not verify");
        }
    }

    /** Canonicalise (RFC 8785) and verify the Ed25519 signature of a parsed envelope. */
    @Benchmark
    public boolean canonicaliseAndVerify() {
        return EnvelopeSignatures.verify(signed, verifyingKey);
    }

    /** What the gateway does per submitted envelope: parse the body, validate the shape, verify the signature. */
    @Benchmark
    public boolean parseValidateAndVerify() {
        JsonNode body = LoomJson.parse(signedRequestBytes);
        EnvelopeValidator.parse(body);
        return EnvelopeSignatures.verify(body, verifyingKey);
    }

    /** Ed25519 verification alone over ready canonical bytes: the floor under {@link #canonicaliseAndVerify}. */
    @Benchmark
    public boolean verifyOnly() {
        return verifyingKey.verify(canonicalBytes, signatureValue);
    }

    /** Parsing the request body alone. */
    @Benchmark
    public JsonNode parseOnly() {
        return LoomJson.parse(signedRequestBytes);
    }

    /** Shape validation alone (spec §8, REF appendix B). */
    @Benchmark
    public Object validateOnly() {
        return EnvelopeValidator.parse(signed);
    }

    /** Canonical bytes alone, to separate JSON work from Ed25519 work. */
    @Benchmark
    public byte[] canonicaliseOnly() {
        return CanonicalJson.rfc8785Bytes(signed);
    }

    /** Canonicalise and sign, as a client or the node does when it creates an envelope. */
    @Benchmark
    public ObjectNode sign() {
        return EnvelopeSignatures.sign(unsigned, signingKey, SampleEnvelopes.KEY_ID);
    }
}
