/**
 * Reference lists for the sample-data generator: Chinese names, cities with their regions and
 * administrative division codes, mobile prefixes, banks; and the check-digit rules of resident ID
 * numbers (GB 11643, ISO 7064 MOD 11-2) and card/account numbers (Luhn).
 */

/** Common surnames with rough relative frequencies (%), a few compound ones at the end. */
// prettier-ignore
export const SURNAMES: ReadonlyArray<readonly [string, number]> = [
  ['王', 7.1], ['李', 7.0], ['张', 6.8], ['刘', 5.4], ['陈', 4.5], ['杨', 3.1], ['黄', 2.3], ['赵', 2.2],
  ['吴', 2.0], ['周', 1.9], ['徐', 1.4], ['孙', 1.3], ['马', 1.2], ['朱', 1.2], ['胡', 1.1], ['郭', 1.1],
  ['何', 1.0], ['高', 1.0], ['林', 1.0], ['罗', 0.9], ['郑', 0.9], ['梁', 0.8], ['谢', 0.7], ['宋', 0.6],
  ['唐', 0.6], ['许', 0.6], ['韩', 0.6], ['冯', 0.5], ['邓', 0.5], ['曹', 0.5], ['彭', 0.5], ['曾', 0.5],
  ['肖', 0.5], ['田', 0.5], ['董', 0.5], ['袁', 0.4], ['潘', 0.4], ['于', 0.4], ['蒋', 0.4], ['蔡', 0.4],
  ['余', 0.4], ['杜', 0.4], ['叶', 0.4], ['程', 0.4], ['苏', 0.3], ['魏', 0.3], ['吕', 0.3], ['丁', 0.3],
  ['任', 0.3], ['沈', 0.3], ['姚', 0.3], ['卢', 0.3], ['姜', 0.3], ['崔', 0.3], ['钟', 0.3], ['谭', 0.3],
  ['陆', 0.3], ['汪', 0.3], ['范', 0.3], ['金', 0.3], ['石', 0.3], ['廖', 0.3], ['贾', 0.2], ['夏', 0.2],
  ['韦', 0.2], ['付', 0.2], ['方', 0.2], ['白', 0.2], ['邹', 0.2], ['孟', 0.2], ['熊', 0.2], ['秦', 0.2],
  ['邱', 0.2], ['江', 0.2], ['尹', 0.2], ['薛', 0.2], ['闫', 0.2], ['段', 0.2], ['雷', 0.2], ['侯', 0.2],
  ['龙', 0.2], ['史', 0.2], ['陶', 0.2], ['黎', 0.2], ['贺', 0.2], ['顾', 0.2], ['毛', 0.2], ['郝', 0.2],
  ['龚', 0.2], ['邵', 0.2], ['万', 0.2], ['钱', 0.2], ['严', 0.1], ['覃', 0.1], ['武', 0.1], ['戴', 0.1],
  ['莫', 0.1], ['孔', 0.1], ['向', 0.1], ['汤', 0.1],
  ['欧阳', 0.06], ['司马', 0.02], ['上官', 0.02], ['诸葛', 0.02], ['东方', 0.01], ['皇甫', 0.01], ['慕容', 0.01],
];

/** Characters common in given names, by gender (a few are used by both). */
export const GIVEN_MALE =
  '伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳建国峰志成东亮晨博文轩睿哲然昊天子豪航铭泽宏毅嘉';
export const GIVEN_FEMALE =
  '芳娜敏静丽艳娟霞秀玲桂英婷雪慧莹晶颖琳倩洁佳欣怡萱梦雅琪瑶蕾薇璐丹萍红梅兰凤燕月悦妍诗晓琳思涵雨婧彤';

/** City: name, region, a district's 6-digit administrative code (ID prefix), relative weight. */
export interface CityInfo {
  name: string;
  region: string;
  code: string;
  weight: number;
}

export const REGIONS = ['华东', '华北', '华南', '西南', '华中', '西北', '东北'] as const;

export const CITIES: readonly CityInfo[] = [
  { name: '上海', region: '华东', code: '310115', weight: 9 },
  { name: '杭州', region: '华东', code: '330106', weight: 5 },
  { name: '南京', region: '华东', code: '320102', weight: 4 },
  { name: '苏州', region: '华东', code: '320505', weight: 4 },
  { name: '宁波', region: '华东', code: '330203', weight: 2.5 },
  { name: '合肥', region: '华东', code: '340104', weight: 2.5 },
  { name: '福州', region: '华东', code: '350102', weight: 2 },
  { name: '厦门', region: '华东', code: '350203', weight: 2 },
  { name: '济南', region: '华东', code: '370102', weight: 2.5 },
  { name: '青岛', region: '华东', code: '370202', weight: 2.5 },
  { name: '南昌', region: '华东', code: '360102', weight: 1.5 },
  { name: '北京', region: '华北', code: '110105', weight: 8 },
  { name: '天津', region: '华北', code: '120101', weight: 3 },
  { name: '石家庄', region: '华北', code: '130102', weight: 2 },
  { name: '太原', region: '华北', code: '140105', weight: 1.5 },
  { name: '呼和浩特', region: '华北', code: '150102', weight: 0.8 },
  { name: '广州', region: '华南', code: '440106', weight: 6 },
  { name: '深圳', region: '华南', code: '440305', weight: 7 },
  { name: '东莞', region: '华南', code: '441900', weight: 2.5 },
  { name: '佛山', region: '华南', code: '440604', weight: 2 },
  { name: '南宁', region: '华南', code: '450103', weight: 1.5 },
  { name: '海口', region: '华南', code: '460106', weight: 0.8 },
  { name: '成都', region: '西南', code: '510104', weight: 5 },
  { name: '重庆', region: '西南', code: '500103', weight: 4.5 },
  { name: '昆明', region: '西南', code: '530102', weight: 2 },
  { name: '贵阳', region: '西南', code: '520102', weight: 1.5 },
  { name: '武汉', region: '华中', code: '420106', weight: 4.5 },
  { name: '长沙', region: '华中', code: '430104', weight: 3.5 },
  { name: '郑州', region: '华中', code: '410105', weight: 3.5 },
  { name: '西安', region: '西北', code: '610113', weight: 3.5 },
  { name: '兰州', region: '西北', code: '620102', weight: 1 },
  { name: '银川', region: '西北', code: '640104', weight: 0.6 },
  { name: '乌鲁木齐', region: '西北', code: '650102', weight: 1 },
  { name: '沈阳', region: '东北', code: '210102', weight: 2.5 },
  { name: '大连', region: '东北', code: '210202', weight: 2 },
  { name: '长春', region: '东北', code: '220102', weight: 1.5 },
  { name: '哈尔滨', region: '东北', code: '230102', weight: 2 },
];

/** Mainland mobile number prefixes (three digits; eight random digits follow). */
// prettier-ignore
export const MOBILE_PREFIXES: readonly string[] = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139',
  '150', '151', '152', '153', '155', '156', '157', '158', '159',
  '166', '173', '175', '176', '177', '178',
  '180', '181', '182', '183', '184', '185', '186', '187', '188', '189',
  '191', '193', '195', '196', '197', '198', '199',
];

/** Pattern a generated mobile number matches. */
export const MOBILE_RE = /^1(3\d|5[0-35-9]|66|7[35-8]|8\d|9[135-9])\d{8}$/;

/** Domestic banks as counterparty (`本行` = the reporting bank itself). */
// prettier-ignore
export const DOMESTIC_BANKS: readonly string[] = [
  '本行', '工商银行', '建设银行', '农业银行', '中国银行', '交通银行', '招商银行', '邮储银行',
  '兴业银行', '浦发银行', '中信银行', '平安银行', '民生银行',
];
export const DOMESTIC_BANK_WEIGHTS: readonly number[] = [30, 12, 11, 10, 8, 5, 6, 5, 3, 3, 3, 2, 2];

/** Payment platforms (counterparty_type `platform`). */
export const PLATFORMS: readonly string[] = ['支付宝', '财付通', '云闪付', '京东支付'];
export const PLATFORM_WEIGHTS: readonly number[] = [45, 40, 8, 7];

/** Foreign / offshore banks for cross-border transfers. */
// prettier-ignore
export const FOREIGN_BANKS: readonly string[] = [
  '汇丰银行(香港)', '中银香港', '星展银行(新加坡)', '花旗银行(美国)', '澳新银行(澳大利亚)', '三菱日联银行(日本)',
];

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** ISO 7064 MOD 11-2 check character of the first 17 digits of a resident ID number. */
export function idCheckDigit(first17: string): string {
  let s = 0;
  for (let i = 0; i < 17; i++) s += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[s % 11]!;
}

/** True when an 18-character resident ID number has a valid check character. */
export function isValidIdNumber(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && idCheckDigit(id.slice(0, 17)) === id[17];
}

/** Luhn check digit of a digit string (appended to make a valid card/account number). */
export function luhnDigit(body: string): string {
  let s = 0;
  let dbl = true;
  for (let i = body.length - 1; i >= 0; i--) {
    let d = body.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    s += d;
    dbl = !dbl;
  }
  return String((10 - (s % 10)) % 10);
}
