// What the --jobs worker threads are started with (workerData): run flags, and the model modules they
// load themselves (a worker cannot receive model objects, only where to import them from).

export interface WorkerFlags {
  update?: boolean;
  ci?: boolean;
  /** Module paths whose exported DataplaneModels are consulted before the registry. */
  modelModules: string[];
}
