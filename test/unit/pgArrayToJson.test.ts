import { describe, expect, it } from 'vitest';
import { pgArrayElement, pgArrayToJson } from '../../lib/db/shared/pgArrayToJson.js';

describe('PostgreSQL array text as JSON', () => {
  it('keeps dimensions, NULLs, numbers, booleans and quoted strings', () => {
    expect(pgArrayToJson('{1,2,NULL}', 'number')).toBe('[1,2,null]');
    expect(pgArrayToJson('{}', 'number')).toBe('[]');
    expect(pgArrayToJson('{{1,2},{3,4}}', 'number')).toBe('[[1,2],[3,4]]');
    expect(pgArrayToJson('[0:1]={7,8}', 'number')).toBe('[7,8]');
    expect(pgArrayToJson('{12345678901234567890.5,-1.5e+300,.5}', 'number')).toBe('[12345678901234567890.5,-1.5e+300,0.5]');
    expect(pgArrayToJson('{NaN,Infinity,-Infinity}', 'number')).toBe('["NaN","Infinity","-Infinity"]');
    expect(pgArrayToJson('{t,f,NULL}', 'boolean')).toBe('[true,false,null]');
    expect(pgArrayToJson('{"a b","c,\\"q\\"\\\\",NULL,"","NULL",ñ😀}', 'string')).toBe(JSON.stringify(['a b', 'c,"q"\\', null, '', 'NULL', 'ñ😀']));
    expect(pgArrayToJson('{"{\\"a\\": [1]}",null}', 'json')).toBe('[{"a": [1]},null]');
  });

  it('refuses text that is not an array', () => {
    for (const bad of ['', '1,2', '{1,2', '{"a}', '{1}x', '[1:2]']) expect(() => pgArrayToJson(bad, 'string'), bad).toThrow(/not a PostgreSQL array/);
  });

  it('knows the element kind from the array type', () => {
    expect(pgArrayElement('integer[]')).toBe('number');
    expect(pgArrayElement('numeric(12,2)[]')).toBe('number');
    expect(pgArrayElement('double precision[][]')).toBe('number');
    expect(pgArrayElement('boolean[]')).toBe('boolean');
    expect(pgArrayElement('jsonb[]')).toBe('json');
    expect(pgArrayElement('text[]')).toBe('string');
    expect(pgArrayElement('timestamptz[]')).toBe('string');
  });
});
