import { buildXml, parseXml, XmlError } from './xml';
import { splitText } from './message';

describe('#wecom xml', () => {
  it('reads WeCom\'s flat CDATA shape, numbers and a nested list', () => {
    const doc = parseXml(
      '<xml><ToUserName><![CDATA[ww1]]></ToUserName><CreateTime>1348831860</CreateTime><Content><![CDATA[a]]]]><![CDATA[>b &amp;]]></Content>' +
        '<SelectedItems><SelectedItem><QuestionKey><![CDATA[q]]></QuestionKey></SelectedItem><SelectedItem><QuestionKey>r</QuestionKey></SelectedItem></SelectedItems></xml>',
    );
    expect(doc).toEqual({
      ToUserName: 'ww1',
      CreateTime: '1348831860',
      Content: 'a]]>b &amp;',
      SelectedItems: { SelectedItem: [{ QuestionKey: 'q' }, { QuestionKey: 'r' }] },
    });
  });

  it('round-trips what buildXml writes, even a "]]>" inside a value', () => {
    expect(parseXml(buildXml({ A: 'x]]>y', B: 3, C: '<&>' }))).toEqual({ A: 'x]]>y', B: '3', C: '<&>' });
  });

  it.each([
    ['a DOCTYPE', '<!DOCTYPE xml [<!ENTITY a "b">]><xml><A>&a;</A></xml>'],
    ['an undeclared entity', '<xml><A>&lol;</A></xml>'],
    ['a bare ampersand', '<xml><A>a & b</A></xml>'],
    ['another root', '<root><A>1</A></root>'],
    ['mismatched tags', '<xml><A>1</B></xml>'],
    ['trailing content', '<xml></xml><xml></xml>'],
    ['deep nesting', '<xml><a><b><c><d><e>1</e></d></c></b></a></xml>'],
    ['a character reference beyond Unicode', '<xml><A>&#x110000;</A></xml>'],
    ['a NUL character reference', '<xml><A>&#0;</A></xml>'],
    ['a surrogate character reference', '<xml><A>&#xD800;</A></xml>'],
    ['an entity named like an inherited property', '<xml><A>&constructor;</A></xml>'],
  ])('refuses %s', (_what, input) => {
    expect(() => parseXml(input)).toThrow(XmlError);
  });

  it('keeps a tag named __proto__ or constructor as a plain field, never as the prototype', () => {
    const doc = parseXml('<xml><__proto__>x</__proto__><constructor>y</constructor></xml>');
    expect(Object.getPrototypeOf(doc)).toBeNull();
    expect(Object.keys(doc)).toEqual(['__proto__', 'constructor']);
    expect(doc['constructor']).toBe('y');
  });

  it('reads valid character references, the astral plane included', () => {
    expect(parseXml('<xml><A>&#x4E2D;&#25991;&#x1F600;</A></xml>')).toEqual({ A: '中文😀' });
  });

  it('refuses a document over the size limit', () => {
    expect(() => parseXml(`<xml><A>${'x'.repeat(100)}</A></xml>`, { maxChars: 50 })).toThrow('too large');
  });
});

describe('#wecom text splitting', () => {
  it('keeps every part under the byte limit without breaking characters', () => {
    const text = '河北省人民政府'.repeat(500);
    const parts = splitText(text, 100);
    expect(parts.every((p) => Buffer.byteLength(p) <= 100)).toBe(true);
    expect(parts.join('')).toBe(text);
  });
});
