/**
 * A worker thread of a parallel run: loads the templates and IAM data once, then turns each chunk of
 * project files it is sent into outcomes, in the same way as a run in one thread.
 */
import { parentPort, workerData } from 'worker_threads';
import { iamData } from '../analysis/iam-catalog';
import { Stager } from '../output/write-files';
import { loadTemplates } from '../render/templates';
import { ResultCache } from './result-cache';
import { OutputFormat, processChunk, ProjectContext, WorkItem, Wants } from './project';

const data = workerData as { templatesDir: string; outDir: string; format?: OutputFormat; wants?: Wants; staging?: string; cache?: { dir: string; fingerprint: string } };
const templates = loadTemplates(data.templatesDir).templates;
if (!templates) throw new Error(`templates in ${data.templatesDir} did not load in a worker`); // the main thread loaded them first
const stager = data.staging === undefined ? undefined : new Stager(data.outDir, data.staging);
const cache = data.cache && new ResultCache(data.cache.dir, data.cache.fingerprint);
const context: ProjectContext = { templates, catalog: iamData(), outDir: data.outDir, format: data.format, wants: data.wants, stager, cache };

parentPort!.on('message', (work: WorkItem[]) => {
  parentPort!.postMessage(processChunk(work, context));
});
