/**
 * Offline reference fits of a file's training rows, in closed form or by Newton's method, and the
 * held-out losses of any parameter vector: the oracle a user compares the streaming runs against
 * when there is no ground truth. No Flink or Kafka: everything here works on lists of examples.
 */
package io.domainmix.core.offline;
