package io.llmlog.client;

import io.llmlog.client.Sender.SendOutcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * A sender that keeps what it was sent and answers from a script; delivers everything by default.
 */
final class FakeSender implements Sender {
  /** One call of {@link #send}. */
  record Batch(RecordKind kind, List<String> records) {}

  private final RecordEncoder.Format format;
  private final Deque<SendOutcome> script = new ArrayDeque<>();
  private final List<Batch> batches = new ArrayList<>();
  private Function<Batch, SendOutcome> answer = batch -> SendOutcome.Delivered.ALL;
  private int messageMaxBytes = Integer.MAX_VALUE;
  private volatile CountDownLatch entered;
  private volatile CountDownLatch release;
  boolean closed;

  FakeSender() {
    this(RecordEncoder.Format.DOCUMENT);
  }

  FakeSender(RecordEncoder.Format format) {
    this.format = format;
  }

  /** The next sends answer these, in order, before falling back to {@link #answerWith}. */
  synchronized FakeSender thenAnswer(SendOutcome... outcomes) {
    script.addAll(List.of(outcomes));
    return this;
  }

  synchronized FakeSender answerWith(Function<Batch, SendOutcome> answer) {
    this.answer = answer;
    return this;
  }

  FakeSender messageMaxBytes(int messageMaxBytes) {
    this.messageMaxBytes = messageMaxBytes;
    return this;
  }

  /** Makes the next send block until {@link #unblock()}; {@code entered} opens when it starts. */
  FakeSender blockNextSend(CountDownLatch entered, CountDownLatch release) {
    this.entered = entered;
    this.release = release;
    return this;
  }

  synchronized List<Batch> batches() {
    return List.copyOf(batches);
  }

  synchronized List<String> records() {
    List<String> all = new ArrayList<>();
    for (Batch batch : batches) {
      all.addAll(batch.records());
    }
    return all;
  }

  @Override
  public RecordEncoder.Format format() {
    return format;
  }

  @Override
  public int messageMaxBytes() {
    return messageMaxBytes;
  }

  @Override
  public SendOutcome send(RecordKind kind, List<byte[]> records) throws InterruptedException {
    CountDownLatch block = release;
    if (block != null) {
      release = null;
      entered.countDown();
      block.await();
    }
    List<String> texts = new ArrayList<>();
    for (byte[] record : records) {
      texts.add(new String(record, StandardCharsets.UTF_8));
    }
    Batch batch = new Batch(kind, List.copyOf(texts));
    synchronized (this) {
      batches.add(batch);
      SendOutcome scripted = script.poll();
      return scripted != null ? scripted : answer.apply(batch);
    }
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "fake";
  }
}
