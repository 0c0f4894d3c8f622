/**
 * What the local runtime's libraries expect from a newer Node than the Node 20 we support.
 *
 * Promise.withResolvers (Node 22): aws-local-stepfunctions 3 calls it in every Task state.
 * Without it the TypeError is raised as the task's own error, so a Catch on States.ALL or
 * States.TaskFailed swallows it and the execution goes on down the error path. Import this
 * module before running a state machine (infra/local/workflow-engine.ts does).
 */
export interface PromiseWithResolversShape<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

declare global {
  interface PromiseConstructor {
    withResolvers<T>(): PromiseWithResolversShape<T>;
  }
}

export function installPolyfills(): void {
  if (typeof Promise.withResolvers !== 'function') {
    Object.defineProperty(Promise, 'withResolvers', {
      configurable: true,
      writable: true,
      value: function withResolvers<T>(this: PromiseConstructor): PromiseWithResolversShape<T> {
        let resolve!: (value: T | PromiseLike<T>) => void;
        let reject!: (reason?: unknown) => void;
        const promise = new this<T>((res, rej) => {
          resolve = res;
          reject = rej;
        });
        return { promise, resolve, reject };
      },
    });
  }
}

installPolyfills();
