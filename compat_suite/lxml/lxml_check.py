"""Differential smoke check of lxml.etree and lxml.objectify (Cython over
libxml2): the same lines on CPython 3.11 and through ferry
(compat_suite/run.py compare)."""
import io
import os
import sys

from lxml import etree, objectify

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lines import show  # noqa: E402 (compat_suite/lines.py)

XML = '''<?xml version="1.0"?>
<library xmlns="http://example.com/lib" xmlns:x="http://example.com/extra">
  <book id="b1" year="1999"><title>First</title><x:note>old</x:note></book>
  <book id="b2" year="2021"><title>Second \u00e9</title></book>
  <!-- a comment -->
  <shelf/>tail text
</library>'''
NS = {'l': 'http://example.com/lib', 'x': 'http://example.com/extra'}

# Parsing from str and from bytes.
root = etree.fromstring(XML.split('\n', 1)[1])
show('root tag', root.tag)
show('nsmap', sorted(root.nsmap.items(), key=lambda kv: str(kv[0])))
broot = etree.fromstring(XML.encode('utf-8'))
show('bytes root', (broot.tag, len(broot)))
show('XML()', etree.XML('<a><b/></a>').tag)
tree = etree.parse(io.BytesIO(XML.encode('utf-8')))
show('parse docinfo', (tree.docinfo.xml_version, tree.docinfo.encoding, tree.docinfo.root_name))
show('children', [etree.QName(c).localname if isinstance(c.tag, str) else 'comment' for c in root])

# findall / iterfind / find / xpath with namespaces.
show('findall', [b.get('id') for b in root.findall('l:book', NS)])
show('iterfind', [t.text for t in root.iterfind('.//l:title', NS)])
show('find x:note', root.find('.//x:note', NS).text)
show('findtext', root.findtext('l:book/l:title', namespaces=NS))
show('xpath ids', root.xpath('//l:book/@id', namespaces=NS))
show('xpath count', root.xpath('count(//l:book)', namespaces=NS))
show('xpath string', root.xpath('string(//l:book[@year > 2000]/l:title)', namespaces=NS))
show('xpath bool', root.xpath('boolean(//x:note)', namespaces=NS))
find = etree.XPath('//l:title/text()', namespaces=NS)
show('XPath object', find(root))
show('iter', [etree.QName(e).localname for e in root.iter('{http://example.com/lib}*')])
show('tail', root.find('l:shelf', NS).tail)

# Building trees.
top = etree.Element('top', attrib={'a': '1'}, nsmap={None: 'urn:t', 'p': 'urn:p'})
child = etree.SubElement(top, '{urn:t}child', b='2')
child.text = 'text \u20ac'
child.tail = 'after'
other = etree.SubElement(top, '{urn:p}other')
other.set('{urn:p}attr', 'v')
etree.SubElement(other, 'leaf').text = '1 < 2 & 3'
top.append(etree.Comment(' c '))
top.insert(0, etree.Element('first'))
show('attrib', (dict(top.attrib), top.get('a'), child.get('b'), child.get('missing', 'dflt')))
show('items', sorted(other.items()))
show('keys', (top.keys(), len(top), top.index(child)))
show('text/tail', (child.text, child.tail, other.text))
show('tostring', etree.tostring(top))
show('tostring unicode', etree.tostring(top, encoding='unicode'))
show('tostring pretty', etree.tostring(top, pretty_print=True).decode())
show('tostring decl', etree.tostring(child, encoding='ISO-8859-1', xml_declaration=True))
show('tostring with_tail', (etree.tostring(child), etree.tostring(child, with_tail=False)))
show('method text', etree.tostring(top, method='text', encoding='unicode'))
show('c14n', etree.tostring(etree.fromstring('<a b="2" a="1"><c/></a>'), method='c14n'))
show('getparent', (child.getparent() is top, top.getparent(), child.getnext().tag))
top.remove(child)
show('removed', (len(top), [c.tag if isinstance(c.tag, str) else 'comment' for c in top]))
el = etree.Element('x')
el.text = 'a'
el.attrib.update({'k': 'v', 'z': 'y'})
del el.attrib['z']
show('attrib ops', (dict(el.attrib), 'k' in el.attrib, el.attrib.get('z')))
copy = etree.fromstring(etree.tostring(top))
show('roundtrip', etree.tostring(copy) == etree.tostring(top))
buf = io.BytesIO()
etree.ElementTree(el).write(buf, encoding='utf-8', xml_declaration=True)
show('ElementTree write', buf.getvalue())

# iterparse over a BytesIO.
events = []
for event, elem in etree.iterparse(io.BytesIO(XML.encode('utf-8')), events=('start', 'end', 'start-ns')):
    if event == 'start-ns':
        events.append((event, elem))
    else:
        events.append((event, etree.QName(elem).localname if isinstance(elem.tag, str) else 'comment'))
show('iterparse', events)
titles = [e.text for _, e in etree.iterparse(io.BytesIO(XML.encode('utf-8')), tag='{http://example.com/lib}title')]
show('iterparse tag', titles)

# objectify.
obj = objectify.fromstring('<root><n>42</n><f>1.5</f><s>text</s><b>true</b><n>7</n>'
                           '<sub><item>a</item><item>b</item></sub></root>')
show('objectify types', (type(obj.n).__name__, type(obj.f).__name__, type(obj.s).__name__,
                         type(obj.b).__name__))
show('objectify values', (obj.n + 1, obj.f * 2, obj.s + '!', bool(obj.b), obj.n[1] * 2))
show('objectify pyval', (obj.n.pyval, obj.f.pyval, obj.s.pyval, obj.b.pyval))
show('objectify children', [i.text for i in obj.sub.item])
show('objectify len', (len(obj.n), len(obj.sub.item), obj.countchildren()))
obj.new = 'added'
obj.num = 5
show('objectify set', (obj.new.text, type(obj.num).__name__, obj.num + 1))
objectify.deannotate(obj, cleanup_namespaces=True)
show('objectify dump', etree.tostring(obj))
E = objectify.E
made = E.root(E.a(1), E.b('x'), E.c(2.5))
objectify.deannotate(made, cleanup_namespaces=True)
show('objectify E', etree.tostring(made))
show('objectify dump()', objectify.dump(objectify.fromstring('<r><i>1</i><t>x</t></r>')))
path = objectify.ObjectPath('root.sub.item')
show('ObjectPath', path(obj).text)

# Errors.
for bad in ('<a><b></a>', '<a>', '', '<a x="1" x="2"/>', b'<\xff/>'):
    try:
        etree.fromstring(bad)
    except etree.XMLSyntaxError as e:
        show('XMLSyntaxError', (str(e), e.position, e.code, isinstance(e, SyntaxError)))
    except ValueError as e:
        show('ValueError', str(e))
try:
    etree.fromstring('<?xml version="1.0" encoding="utf-8"?><a/>')
except ValueError as e:
    show('ValueError decl', str(e))
try:
    root.xpath('//l:book[', namespaces=NS)
except etree.XPathEvalError as e:
    show('XPathEvalError', str(e))
try:
    etree.Element('bad name')
except ValueError as e:
    show('bad tag', str(e))
try:
    root.xpath('//q:x')
except etree.XPathEvalError as e:
    show('undefined prefix', str(e))
parser = etree.XMLParser(recover=True)
recovered = etree.fromstring('<a><b>text</a>', parser)
show('recover', (etree.tostring(recovered), [(m.line, m.type_name) for m in parser.error_log]))
show('done', True)
