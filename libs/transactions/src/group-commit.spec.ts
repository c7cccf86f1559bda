import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

describe(GroupCommit.name, () => {
  it('opens no more transactions than its lanes, each taking at most a group of what waits', async () => {
    const groups: number[][] = [];
    let open = 0;
    let mostOpen = 0;
    const releases: Array<() => void> = [];
    const commit = new GroupCommit<number>({ lanes: 2, maxGroup: 3 }, async (take) => {
      open += 1;
      mostOpen = Math.max(mostOpen, open);
      await new Promise<void>((resolve) => releases.push(resolve));
      groups.push(take());
      open -= 1;
    });

    for (let job = 1; job <= 8; job += 1) commit.submit(job, 'ongoing');
    while (groups.flat().length < 8) {
      await new Promise((resolve) => setImmediate(resolve));
      releases.splice(0).forEach((release) => release());
    }

    expect(mostOpen).toBe(2);
    // A lane that finds the queue emptied by the time it has its connection takes nothing.
    expect(groups.filter((group) => group.length > 0)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8],
    ]);
    expect(commit.waiting).toBe(0);
  });

  it('takes work that continues what was accepted before work that brings more in', async () => {
    const groups: string[][] = [];
    let release = () => {};
    const commit = new GroupCommit<string>({ lanes: 1, maxGroup: 2 }, async (take) => {
      await new Promise<void>((resolve) => (release = resolve));
      groups.push(take());
    });

    commit.submit('new request a', 'incoming');
    commit.submit('new request b', 'incoming');
    commit.submit('message 1', 'ongoing');
    commit.submit('message 2', 'ongoing');
    commit.submit('new request c', 'incoming');
    while (groups.flat().length < 5) {
      await new Promise((resolve) => setImmediate(resolve));
      release();
    }

    expect(groups).toEqual([
      ['message 1', 'message 2'],
      ['new request a', 'new request b'],
      ['new request c'],
    ]);
  });
});

describe(`${GroupCommit.name}, at rest`, () => {
  it('runs work that arrives after the queue drained, and rests in between', async () => {
    const groups: string[][] = [];
    const commit = new GroupCommit<string>({ lanes: 1, maxGroup: 4 }, async (take) => {
      groups.push(take());
    });
    const settle = async () => {
      for (let tick = 0; tick < 5; tick += 1) await new Promise((resolve) => setImmediate(resolve));
    };

    commit.submit('first', 'incoming');
    await settle();
    commit.submit('second', 'ongoing');
    await settle();

    expect(groups).toEqual([['first'], ['second']]);
    expect(commit.waiting).toBe(0);
  });
});
