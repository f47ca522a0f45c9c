/**
 * The named events of the server's stream that features handle themselves (use-events.ts owns the
 * connection). A feature registers its topic when its module loads, so lib depends on no feature and a
 * lazily loaded feature's cache code stays in its own chunk: before it loads it has nothing cached that
 * an event could update.
 */

export interface StreamTopic {
  /** An event's data, parsed as JSON and not checked yet: the topic knows its shape. */
  receive(data: unknown): void;
  /** The stream is back after being down: events may have been lost, read again what is cached. */
  resync(): void;
}

const topics = new Map<string, StreamTopic>();
const newTopicListeners = new Set<(event: string) => void>();

/** Handles stream events named `event` from now on (a second registration replaces the first). */
export function registerStreamTopic(event: string, topic: StreamTopic): void {
  const isNew = !topics.has(event);
  topics.set(event, topic);
  if (isNew) for (const listener of newTopicListeners) listener(event);
}

export function streamTopic(event: string): StreamTopic | undefined {
  return topics.get(event);
}

export function streamTopicNames(): string[] {
  return [...topics.keys()];
}

/** Tells an open connection about an event name registered after it connected; returns the unsubscribe. */
export function onStreamTopicAdded(listener: (event: string) => void): () => void {
  newTopicListeners.add(listener);
  return () => newTopicListeners.delete(listener);
}

export function resyncStreamTopics(): void {
  for (const topic of topics.values()) topic.resync();
}
