//! The official whisper.cpp ggml models on Hugging Face (`ggerganov/whisper.cpp`): names,
//! sizes and checksums. Data only; downloading is done elsewhere.
//!
//! Provenance of the numbers:
//! - `sha1`: the SHA-1 list published by whisper.cpp (`models/README.md` and its download
//!   helpers) for every file listed here.
//! - `sha256` and `size`: the Git LFS pointers (object id = SHA-256, size in bytes) of
//!   the Hugging Face repository at revision `5359861c739e955e79d9a303bcbc70fb988958b1`,
//!   as recorded by two independent public projects that agree on every entry.
//!
//! The URLs point at `main`. Should upstream ever replace a file, its checksum stops
//! matching and the download must fail rather than install it.

use serde::Serialize;
use ts_rs::TS;

use crate::ggml::{ModelSize, WeightType};

/// Base of every download URL.
pub const BASE_URL: &str = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main";
/// The Hugging Face revision the sizes and SHA-256 values were taken from.
pub const PINNED_REVISION: &str = "5359861c739e955e79d9a303bcbc70fb988958b1";

/// One downloadable model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CatalogModel {
    /// whisper.cpp's name, e.g. "base", "tiny.en-q8_0", "large-v3-turbo-q5_0".
    pub name: String,
    /// The model without quantization suffix, e.g. "tiny.en", "large-v3-turbo".
    pub label: String,
    pub file: String,
    pub url: String,
    #[ts(type = "number")]
    pub size: u64,
    /// Lower-case hex SHA-256 (Hugging Face LFS object id).
    pub sha256: String,
    /// Lower-case hex SHA-1 as published by whisper.cpp.
    pub sha1: String,
    pub kind: ModelSize,
    pub multilingual: bool,
    pub weight_type: WeightType,
}

/// (name, size, sha256, sha1)
const MODELS: &[(&str, u64, &str, &str)] = &[
    (
        "tiny",
        77_691_713,
        "be07e048e1e599ad46341c8d2a135645097a538221678b7acdd1b1919c6e1b21",
        "bd577a113a864445d4c299885e0cb97d4ba92b5f",
    ),
    (
        "tiny-q5_1",
        32_152_673,
        "818710568da3ca15689e31a743197b520007872ff9576237bda97bd1b469c3d7",
        "2827a03e495b1ed3048ef28a6a4620537db4ee51",
    ),
    (
        "tiny-q8_0",
        43_537_433,
        "c2085835d3f50733e2ff6e4b41ae8a2b8d8110461e18821b09a15c40c42d1cca",
        "19e8118f6652a650569f5a949d962154e01571d9",
    ),
    (
        "tiny.en",
        77_704_715,
        "921e4cf8686fdd993dcd081a5da5b6c365bfde1162e72b08d75ac75289920b1f",
        "c78c86eb1a8faa21b369bcd33207cc90d64ae9df",
    ),
    (
        "tiny.en-q5_1",
        32_166_155,
        "c77c5766f1cef09b6b7d47f21b546cbddd4157886b3b5d6d4f709e91e66c7c2b",
        "3fb92ec865cbbc769f08137f22470d6b66e071b6",
    ),
    (
        "tiny.en-q8_0",
        43_550_795,
        "5bc2b3860aa151a4c6e7bb095e1fcce7cf12c7b020ca08dcec0c6d018bb7dd94",
        "802d6668e7d411123e672abe4cb6c18f12306abb",
    ),
    (
        "base",
        147_951_465,
        "60ed5bc3dd14eea856493d334349b405782ddcaf0028d4b5df4088345fba2efe",
        "465707469ff3a37a2b9b8d8f89f2f99de7299dac",
    ),
    (
        "base-q5_1",
        59_707_625,
        "422f1ae452ade6f30a004d7e5c6a43195e4433bc370bf23fac9cc591f01a8898",
        "a3733eda680ef76256db5fc5dd9de8629e62c5e7",
    ),
    (
        "base-q8_0",
        81_768_585,
        "c577b9a86e7e048a0b7eada054f4dd79a56bbfa911fbdacf900ac5b567cbb7d9",
        "7bb89bb49ed6955013b166f1b6a6c04584a20fbe",
    ),
    (
        "base.en",
        147_964_211,
        "a03779c86df3323075f5e796cb2ce5029f00ec8869eee3fdfb897afe36c6d002",
        "137c40403d78fd54d454da0f9bd998f78703390c",
    ),
    (
        "base.en-q5_1",
        59_721_011,
        "4baf70dd0d7c4247ba2b81fafd9c01005ac77c2f9ef064e00dcf195d0e2fdd2f",
        "d26d7ce5a1b6e57bea5d0431b9c20ae49423c94a",
    ),
    (
        "base.en-q8_0",
        81_781_811,
        "a4d4a0768075e13cfd7e19df3ae2dbc4a68d37d36a7dad45e8410c9a34f8c87e",
        "bb1574182e9b924452bf0cd1510ac034d323e948",
    ),
    (
        "small",
        487_601_967,
        "1be3a9b2063867b937e64e2ec7483364a79917e157fa98c5d94b5c1fffea987b",
        "55356645c2b361a969dfd0ef2c5a50d530afd8d5",
    ),
    (
        "small-q5_1",
        190_085_487,
        "ae85e4a935d7a567bd102fe55afc16bb595bdb618e11b2fc7591bc08120411bb",
        "6fe57ddcfdd1c6b07cdcc73aaf620810ce5fc771",
    ),
    (
        "small-q8_0",
        264_464_607,
        "49c8fb02b65e6049d5fa6c04f81f53b867b5ec9540406812c643f177317f779f",
        "bcad8a2083f4e53d648d586b7dbc0cd673d8afad",
    ),
    (
        "small.en",
        487_614_201,
        "c6138d6d58ecc8322097e0f987c32f1be8bb0a18532a3f88f734d1bbf9c41e5d",
        "db8a495a91d927739e50b3fc1cc4c6b8f6c2d022",
    ),
    (
        "small.en-q5_1",
        190_098_681,
        "bfdff4894dcb76bbf647d56263ea2a96645423f1669176f4844a1bf8e478ad30",
        "20f54878d608f94e4a8ee3ae56016571d47cba34",
    ),
    (
        "small.en-q8_0",
        264_477_561,
        "67a179f608ea6114bd3fdb9060e762b588a3fb3bd00c4387971be4d177958067",
        "9d75ff4ccfa0a8217870d7405cf8cef0a5579852",
    ),
    (
        "medium",
        1_533_763_059,
        "6c14d5adee5f86394037b4e4e8b59f1673b6cee10e3cf0b11bbdbee79c156208",
        "fd9727b6e1217c2f614f9b698455c4ffd82463b4",
    ),
    (
        "medium-q5_0",
        539_212_467,
        "19fea4b380c3a618ec4723c3eef2eb785ffba0d0538cf43f8f235e7b3b34220f",
        "7718d4c1ec62ca96998f058114db98236937490e",
    ),
    (
        "medium-q8_0",
        823_369_779,
        "42a1ffcbe4167d224232443396968db4d02d4e8e87e213d3ee2e03095dea6502",
        "e66645948aff4bebbec71b3485c576f3d63af5d6",
    ),
    (
        "medium.en",
        1_533_774_781,
        "cc37e93478338ec7700281a7ac30a10128929eb8f427dda2e865faa8f6da4356",
        "8c30f0e44ce9560643ebd10bbe50cd20eafd3723",
    ),
    (
        "medium.en-q5_0",
        539_225_533,
        "76733e26ad8fe1c7a5bf7531a9d41917b2adc0f20f2e4f5531688a8c6cd88eb0",
        "bb3b5281bddd61605d6fc76bc5b92d8f20284c3b",
    ),
    (
        "medium.en-q8_0",
        823_382_461,
        "43fa2cd084de5a04399a896a9a7a786064e221365c01700cea4666005218f11c",
        "b1cf48c12c807e14881f634fb7b6c6ca867f6b38",
    ),
    (
        "large-v3-turbo",
        1_624_555_275,
        "1fc70f774d38eb169993ac391eea357ef47c88757ef72ee5943879b7e8e2bc69",
        "4af2b29d7ec73d781377bfd1758ca957a807e941",
    ),
    (
        "large-v3-turbo-q5_0",
        574_041_195,
        "394221709cd5ad1f40c46e6031ca61bce88931e6e088c188294c6d5a55ffa7e2",
        "e050f7970618a659205450ad97eb95a18d69c9ee",
    ),
    (
        "large-v3-turbo-q8_0",
        874_188_075,
        "317eb69c11673c9de1e1f0d459b253999804ec71ac4c23c17ecf5fbe24e259a1",
        "01bf15bedffe9f39d65c1b6ff9b687ea91f59e0e",
    ),
];

fn entry(&(name, size, sha256, sha1): &(&str, u64, &str, &str)) -> CatalogModel {
    let (label, weight_type) = match name.rsplit_once('-') {
        Some((base, "q5_0")) => (base, WeightType::Q5_0),
        Some((base, "q5_1")) => (base, WeightType::Q5_1),
        Some((base, "q8_0")) => (base, WeightType::Q8_0),
        _ => (name, WeightType::F16),
    };
    let kind = match label.split(['.', '-']).next() {
        Some("tiny") => ModelSize::Tiny,
        Some("base") => ModelSize::Base,
        Some("small") => ModelSize::Small,
        Some("medium") => ModelSize::Medium,
        _ => ModelSize::Large,
    };
    let file = format!("ggml-{name}.bin");
    CatalogModel {
        name: name.to_owned(),
        label: label.to_owned(),
        url: format!("{BASE_URL}/{file}"),
        file,
        size,
        sha256: sha256.to_owned(),
        sha1: sha1.to_owned(),
        kind,
        multilingual: !label.ends_with(".en"),
        weight_type,
    }
}

/// Every catalog model, smallest family first.
pub fn catalog() -> Vec<CatalogModel> {
    MODELS.iter().map(entry).collect()
}

/// A catalog model by name (e.g. "base", "large-v3-turbo-q5_0").
pub fn find(name: &str) -> Option<CatalogModel> {
    MODELS.iter().find(|m| m.0 == name).map(entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_is_consistent() {
        let all = catalog();
        assert_eq!(all.len(), 27);
        let mut names = std::collections::HashSet::new();
        let is_hex = |s: &str, n: usize| {
            s.len() == n
                && s.bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        };
        for m in &all {
            assert!(names.insert(m.name.clone()), "duplicate {}", m.name);
            assert!(is_hex(&m.sha256, 64), "{}", m.name);
            assert!(is_hex(&m.sha1, 40), "{}", m.name);
            assert_eq!(m.url, format!("{BASE_URL}/ggml-{}.bin", m.name));
            // Quantized files are smaller than their f16 original, by the expected ratio.
            if m.weight_type != WeightType::F16 {
                let f16 = find(&m.label).unwrap();
                let ratio = m.size as f64 / f16.size as f64;
                assert!((0.3..0.6).contains(&ratio), "{}: {ratio}", m.name);
                assert_eq!((f16.kind, f16.multilingual), (m.kind, m.multilingual));
            }
        }
        for family in [
            "tiny",
            "tiny.en",
            "base",
            "base.en",
            "small",
            "small.en",
            "medium",
            "medium.en",
            "large-v3-turbo",
        ] {
            assert!(find(family).is_some(), "{family}");
        }
        let turbo = find("large-v3-turbo-q5_0").unwrap();
        assert_eq!(
            (turbo.kind, turbo.weight_type, turbo.multilingual),
            (ModelSize::Large, WeightType::Q5_0, true)
        );
        let en = find("tiny.en-q8_0").unwrap();
        assert_eq!((en.label.as_str(), en.multilingual), ("tiny.en", false));
        assert!(find("huge").is_none());
    }
}
