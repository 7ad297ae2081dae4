import type { CompiledOperation } from '../../contracts/openapi/load-spec.ts';

/** A control-plane fault: delay and/or force a status on the next `remaining` matching requests. */
export interface Fault {
  id: number;
  operationId?: string;
  method?: string;
  path?: string;
  status?: number;
  latencyMs?: number;
  remaining: number;
}

export type FaultInput = Omit<Fault, 'id' | 'remaining'> & { count?: number };

/** Faults in the order they were added; the first one that matches a request is used up. */
export class FaultRegistry {
  #faults: Fault[] = [];
  #nextId = 1;

  add(input: FaultInput): Fault {
    const fault: Fault = { ...input, method: input.method?.toUpperCase(), id: this.#nextId++, remaining: input.count ?? 1 };
    delete (fault as { count?: number }).count;
    this.#faults.push(fault);
    return fault;
  }

  get size(): number {
    return this.#faults.length;
  }

  list(): Fault[] {
    return this.#faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.#faults = [];
  }

  /** Uses up one match for this request, if any. */
  take(op: CompiledOperation, method: string, pathname: string): Fault | undefined {
    const fault = this.#faults.find(
      (f) =>
        (f.operationId === undefined || f.operationId === op.operationId) &&
        (f.method === undefined || f.method === method) &&
        (f.path === undefined || f.path === pathname),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#faults = this.#faults.filter((f) => f !== fault);
    return { ...fault };
  }
}
