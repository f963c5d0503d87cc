import { wecomTarget } from './groups-target';

const lookups = (appchats: Record<string, string>, robots: string[]) => ({
  findWecomAppchat: async (unit: string) => (appchats[unit] ? { status: appchats[unit] } : null),
  findWecomRobot: async (unit: string) => (robots.includes(unit) ? { unitCode: unit } : null),
});

describe('#wecom delivery targets', () => {
  it('sends to people by their userid', async () => {
    expect(await wecomTarget('demo.siteadmin', lookups({}, []))).toBe('demo.siteadmin');
  });

  it('posts a notice for a unit group into its app chat first, then its group robot', async () => {
    expect(await wecomTarget('room:130123', lookups({ '130123': 'active' }, ['130123']))).toBe('group:130123');
    expect(await wecomTarget('room:130123', lookups({}, ['130123']))).toBe('robot:130123');
  });

  it('leaves a group to other channels while its app chat is still being created, or when WeCom has none', async () => {
    expect(await wecomTarget('room:130123', lookups({ '130123': 'creating' }, []))).toBeUndefined();
    expect(await wecomTarget('room:130100', lookups({}, []))).toBeUndefined();
  });
});
