import { classifyText, splitForWechat } from './wechaty-text';

const dm = { inRoom: false, mentioned: false, prefixes: ['/', '！'] };
const room = { ...dm, inRoom: true };

describe('#wechaty text', () => {
  it('takes every direct message, and in rooms only mentions and prefixed lines', () => {
    expect(classifyText('sites', dm)).toEqual({ kind: 'command', text: 'sites' });
    expect(classifyText('/sites', dm)).toEqual({ kind: 'command', text: 'sites' });
    expect(classifyText('   ', dm)).toBeUndefined();
    expect(classifyText('sites', room)).toBeUndefined();
    expect(classifyText('！我的网站', room)).toEqual({ kind: 'command', text: '我的网站' });
    expect(classifyText('\u2005sites', { ...room, mentioned: true })).toEqual({ kind: 'command', text: 'sites' });
    expect(classifyText('', { ...room, mentioned: true })).toEqual({ kind: 'command', text: 'help' });
    expect(classifyText('#sites', { ...room, prefixes: ['#'] })).toEqual({ kind: 'command', text: 'sites' });
  });

  it('tells binding codes and room binding from commands', () => {
    expect(classifyText('绑定 ABCD2345', dm)).toEqual({ kind: 'redeem', code: 'ABCD2345' });
    expect(classifyText('绑定ABCD2345', dm)).toEqual({ kind: 'redeem', code: 'ABCD2345' });
    expect(classifyText('bind abcd-2345', dm)).toEqual({ kind: 'redeem', code: 'abcd-2345' });
    expect(classifyText('绑定码', dm)).toEqual({ kind: 'command', text: '绑定码' });
    expect(classifyText('binding code', dm)).toEqual({ kind: 'command', text: 'binding code' });
    expect(classifyText('绑定小程序', dm)).toEqual({ kind: 'command', text: '绑定小程序' });
    expect(classifyText('/绑定本群 130123', room)).toEqual({ kind: 'bind-room', unit: '130123' });
    expect(classifyText('/bind room 130123', room)).toEqual({ kind: 'bind-room', unit: '130123' });
    expect(classifyText('/绑定本群', room)).toEqual({ kind: 'bind-room' });
  });

  it('splits long answers at line ends', () => {
    expect(splitForWechat('a\nb', 10)).toEqual(['a\nb']);
    expect(splitForWechat('aaaa\nbbbb\ncccc', 9)).toEqual(['aaaa\nbbbb', 'cccc']);
    expect(splitForWechat('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });
});
