/**
 * The worker thread that parses pages of users for a partitioned read (see
 * user-page-pool.ts): bytes in (transferred, not copied), CompactUserPage
 * out. One compactor per worker, so license lists are shared across pages.
 */
import { parentPort } from "node:worker_threads";
import { UserPageCompactor } from "./compact-user-page.js";
import type { PageAnswer, PageJob } from "./user-page-pool.js";

const compactor = new UserPageCompactor();
const decoder = new TextDecoder();

parentPort?.on("message", ({ id, bytes }: PageJob) => {
  let answer: PageAnswer;
  try {
    answer = { id, page: compactor.compact(decoder.decode(bytes)) };
  } catch (error) {
    answer = { id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(answer);
});
